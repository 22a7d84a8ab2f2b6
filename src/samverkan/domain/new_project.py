"""``samverkan new``: a ready-to-edit lärprojekt folder that checks clean as written.

Five agendas with the three phases of the method (host presentation, discussion,
observation) and example prompts, a ``project.md`` whose every field carries a comment,
and a copy of the codebook. The texts follow the interface language; with ``--from`` the
members, people and codebook of an existing project are taken over.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml

from samverkan.domain.codebook import slugify
from samverkan.domain.model import OrganisationKind, OrganisationSpec, ProjectSpec

MEETINGS = 5


@dataclass(frozen=True)
class _Texts:
    name: str
    person: str
    steering: str
    organisations: tuple[tuple[str, str, OrganisationKind], ...]
    themes: tuple[tuple[str, tuple[str, ...]], ...]
    project: str
    agenda: str


@dataclass(frozen=True)
class NewProject:
    """What goes into the files: from the folder's name, or from an earlier project."""

    name: str
    short: str
    lang: str
    organisations: tuple[OrganisationSpec, ...]
    facilitator: str = ""
    observers: tuple[str, ...] = ()
    steering_group: tuple[str, ...] = ()
    minutes_observation: str = "group"  # all, group or none


def short_for(folder: Path) -> str:
    return slugify(folder.name) or "projekt"


def example_project(folder: Path, lang: str) -> NewProject:
    texts = _TEXTS[lang]
    return NewProject(
        name=texts.name.format(folder=folder.name),
        short=short_for(folder),
        lang=lang,
        organisations=tuple(
            OrganisationSpec(name, short, kind, (texts.person,))
            for name, short, kind in texts.organisations
        ),
        facilitator=texts.person,
        observers=(texts.person,),
        steering_group=(texts.steering,),
    )


def project_from(source: ProjectSpec, folder: Path) -> NewProject:
    texts = _TEXTS[source.lang if source.lang in _TEXTS else "sv"]
    return NewProject(
        name=texts.name.format(folder=folder.name),
        short=short_for(folder),
        lang=source.lang,
        organisations=tuple(
            OrganisationSpec(org.name, org.short, org.kind, org.people)
            for org in source.organisations
        ),
        facilitator=source.facilitator,
        observers=source.observers,
        steering_group=source.steering_group,
        minutes_observation=str(source.minutes_observation),
    )


def render_files(project: NewProject, codebook_text: str) -> dict[str, str]:
    """Every file of the new folder by name, in the order they are listed to the user."""
    lang = project.lang if project.lang in _TEXTS else "sv"
    texts = _TEXTS[lang]
    files = {"project.md": _project_md(project, texts)}
    orgs = project.organisations
    for index, (title, prompts) in enumerate(texts.themes[:MEETINGS]):
        host = orgs[index % len(orgs)]
        number = index + 1
        name = f"{number:02d}-{slugify(title)[:40].strip('-')}.md"
        files[name] = Template(texts.agenda).substitute(
            number=number,
            title=_scalar(title),
            heading=title,
            host=host.short,
            host_name=host.name,
            prompts="\n".join(f"- {prompt}" for prompt in prompts),
        )
    files["codebook.md"] = codebook_text
    return files


def _project_md(project: NewProject, texts: _Texts) -> str:
    kinds = {str(kind): name for name, kind in _KIND_NAMES[project.lang].items()}
    members = []
    for org in project.organisations:
        members.append(f"  - name: {_scalar(org.name)}")
        members.append(f"    short: {_scalar(org.short)}")
        members.append(f"    kind: {kinds.get(str(org.kind), str(org.kind))}")
        if org.people:
            members.append(f"    people: {_flow(org.people)}")
    return Template(texts.project).substitute(
        name=_scalar(project.name),
        short=project.short,
        lang=project.lang,
        facilitator=_scalar(project.facilitator) if project.facilitator else "",
        observers=_flow(project.observers),
        steering_group=_flow(project.steering_group),
        organisations="\n".join(members),
        minutes_observation=_OBSERVATION_WORDS[project.lang].get(
            project.minutes_observation, project.minutes_observation
        ),
    )


def _scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly ``text``: plain where that is safe."""
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain = False
    return text if plain and "#" not in text else json.dumps(text, ensure_ascii=False)


def _flow(items: tuple[str, ...]) -> str:
    return (
        "["
        + ", ".join(
            json.dumps(item, ensure_ascii=False)
            if re.search(r"[,\[\]{}:#'\"]", item)
            else _scalar(item)
            for item in items
        )
        + "]"
    )


_OBSERVATION_WORDS = {
    "sv": {"all": "allt", "group": "grupp", "none": "inget"},
    "en": {"all": "all", "group": "group", "none": "none"},
}

_KIND_NAMES = {
    "sv": {
        "kommun": OrganisationKind.MUNICIPALITY,
        "arbetsförmedlingen": OrganisationKind.EMPLOYMENT_SERVICE,
        "företag": OrganisationKind.COMPANY,
        "region": OrganisationKind.REGION,
        "förening": OrganisationKind.ASSOCIATION,
        "myndighet": OrganisationKind.AGENCY,
        "annan": OrganisationKind.OTHER,
    },
    "en": {str(kind): kind for kind in OrganisationKind},
}

_PROJECT_SV = """\
---
# Lärprojektets namn, som det visas i appen, i minnesanteckningarna och i rapporten.
name: $name
# Projektets kortkod: små bokstäver a-z, siffror och bindestreck. Den står i mötenas
# referenser (samverkan run $short/1) och får inte ändras efter importen.
short: $short
# Språket i minnesanteckningar och rapport: sv eller en.
lang: $lang
# Kodboken med framgångsfaktorer och hinder, räknat från den här filen. Här en kopia av
# standardkodboken; ändra den fritt eller peka på en kodbok som flera projekt delar.
codebook: codebook.md
# Processledaren, som leder mötena.
facilitator: $facilitator
# Observatörerna (forskarna), som taggar det som sägs mot kodboken.
observers: $observers
# Styrgruppen, som får rapporten efter årets möten.
steering_group: $steering_group
# Vad deltagarnas minnesanteckningar visar av observationen: grupp (koder och antal, utan
# organisationer och utan observatörens egna anteckningar), allt, eller inget.
minutes_observation: $minutes_observation
# Medlemsorganisationerna, en post var:
#   name:   organisationens namn
#   short:  1-6 bokstäver eller siffror; @KA i en anteckning, host: KA i en dagordning
#   kind:   kommun, arbetsförmedlingen, företag, region, förening, myndighet eller annan
#   people: deltagarna, kan också läggas till på mötet
# Får en organisation en ny kortkod efter importen: skriv den gamla som renamed_from: GAMMAL,
# så behåller den sina anteckningar.
organisations:
$organisations
---
Beskriv lärprojektet här: vilka som deltar, varför, och vad gruppen vill lära sig under året.
Texten står överst i rapporten till styrgruppen.

Varje möte har en värdorganisation som berättar om sin verksamhet, ett samtal som
processledaren leder och en återkoppling från observatören. Dagordningarna ligger i filerna
01-*.md till 05-*.md; kör `samverkan check` på mappen när du har ändrat dem.
"""

_AGENDA_SV = """\
---
# Mötets nummer i lärprojektet; varje dagordning har sitt eget.
meeting: $number
title: $title
# Datum och starttid, när de är bestämda (ta bort # framför):
# date: 2026-03-12
# start: "09:30"
# place: Kommunhuset
# Värdorganisationen: en kortkod ur project.md.
host: $host
---
# Möte $number: $heading

Skriv här vad du vill säga när mötet börjar: dagens tema och upplägg. Varje rubrik ## nedan
är en fas; (40 min) är dess tidsram. Punkterna under en fas är frågor du kan ställa.

## Värdpresentation (40 min)

$host_name berättar om sin verksamhet och hur den samverkar med de andra organisationerna.

- Hur är arbetet organiserat hos er, och vem gör vad?
- Ge ett exempel på något som har fungerat bra, och på något som inte gjorde det.

## Samtal (60 min)

Vi utgår från det vi just har hört. Alla organisationer ska komma till tals med egna exempel.

$prompts

## Observation (30 min)

Observatören återkopplar vad hon eller han har sett: vilka framgångsfaktorer och hinder som
kom upp, och var gruppen var överens. Därefter reflekterar vi och bestämmer nästa steg.

- Känner ni igen er i observatörens bild? Vad saknas?
- Vad tar var och en med sig hem, och vem behöver ni prata med där?
"""

_PROJECT_EN = """\
---
# The lärprojekt's name, as shown in the app, the minutes and the report.
name: $name
# The project's short code: lowercase a-z, digits and hyphens. It is part of the meetings'
# references (samverkan run $short/1) and must not change after the import.
short: $short
# The language of the minutes and the report: sv or en.
lang: $lang
# The codebook of success factors and obstacles, relative to this file. This is a copy of
# the default codebook; change it freely, or point to a codebook several projects share.
codebook: codebook.md
# The facilitator, who runs the meetings.
facilitator: $facilitator
# The observers (researchers), who tag what is said against the codebook.
observers: $observers
# The steering group, who get the report after the year's meetings.
steering_group: $steering_group
# What the participants' minutes show of the observation: group (codes and counts, without
# organisations or the observer's own notes), all, or none.
minutes_observation: $minutes_observation
# The member organisations, one entry each:
#   name:   the organisation's name
#   short:  1-6 letters or digits; @MA in a note, host: MA in an agenda
#   kind:   municipality, employment_service, company, region, association, agency or other
#   people: the participants; they can also be added at the meeting
# If an organisation gets a new short code after the import, write the old one as
# renamed_from: OLD, and it keeps its notes.
organisations:
$organisations
---
Describe the lärprojekt here: who takes part, why, and what the group wants to learn this
year. The text opens the report to the steering group.

Each meeting has a host organisation that presents its work, a discussion the facilitator
leads and feedback from the observer. The agendas are the files 01-*.md to 05-*.md; run
`samverkan check` on the folder after changing them.
"""

_AGENDA_EN = """\
---
# The meeting's number in the lärprojekt; each agenda has its own.
meeting: $number
title: $title
# Date and start time, once they are set (remove the # in front):
# date: 2026-03-12
# start: "09:30"
# place: Town hall
# The host organisation: a short code from project.md.
host: $host
---
# Meeting $number: $heading

Write here what you want to say when the meeting starts: the day's theme and plan. Each ##
heading below is a phase; (40 min) is its timebox. The list items under a phase are
questions you can ask.

## Host presentation (40 min)

$host_name presents its work and how it collaborates with the other organisations.

- How is the work organised at your place, and who does what?
- Give an example of something that worked well, and of something that did not.

## Discussion (60 min)

We start from what we just heard. Every organisation speaks, with examples of its own.

$prompts

## Observation (30 min)

The observer feeds back what they saw: which success factors and obstacles came up, and
where the group agreed. Then we reflect together and decide the next steps.

- Do you recognise yourselves in the observer's picture? What is missing?
- What does each of you take home, and whom do you need to talk to there?
"""

_TEXTS: dict[str, _Texts] = {
    "sv": _Texts(
        name="Lärprojekt {folder}",
        person="Förnamn Efternamn",
        steering="Styrgruppens medlemmar",
        organisations=(
            ("Kommun A", "KA", OrganisationKind.MUNICIPALITY),
            ("Kommun B", "KB", OrganisationKind.MUNICIPALITY),
            ("Kommun C", "KC", OrganisationKind.MUNICIPALITY),
            ("Kommun D", "KD", OrganisationKind.MUNICIPALITY),
            ("Arbetsförmedlingen", "AF", OrganisationKind.EMPLOYMENT_SERVICE),
        ),
        themes=(
            (
                "Att förstå varandras uppdrag",
                (
                    "Vad är ert uppdrag, och vad tror ni att de andra tror att det är?",
                    "Var möts era uppdrag, och var krockar de?",
                ),
            ),
            (
                "Individanpassat arbete",
                (
                    "Berätta om en insats som anpassades efter en enskild person. "
                    "Vad krävde det av samverkan?",
                    "Vem håller ihop kontakten med personen när flera organisationer "
                    "är inblandade?",
                ),
            ),
            (
                "Arbetsgivarna och kompetensförsörjningen",
                (
                    "Hur får ni veta vilka kompetenser arbetsgivarna behöver?",
                    "Vem ringer en arbetsgivare när den behöver rekrytera?",
                ),
            ),
            (
                "Gemensamma arbetsformer",
                (
                    "Vilka fasta mötesplatser och rutiner för samverkan har ni?",
                    "Vad händer med samverkan när en nyckelperson slutar?",
                ),
            ),
            (
                "Vad tar vi med oss?",
                (
                    "Vad har ni ändrat hemma sedan det första mötet?",
                    "Vilka framgångsfaktorer och hinder känner ni mest igen?",
                ),
            ),
        ),
        project=_PROJECT_SV,
        agenda=_AGENDA_SV,
    ),
    "en": _Texts(
        name="Lärprojekt {folder}",
        person="First Last",
        steering="Members of the steering group",
        organisations=(
            ("Municipality A", "MA", OrganisationKind.MUNICIPALITY),
            ("Municipality B", "MB", OrganisationKind.MUNICIPALITY),
            ("Municipality C", "MC", OrganisationKind.MUNICIPALITY),
            ("Municipality D", "MD", OrganisationKind.MUNICIPALITY),
            ("Arbetsförmedlingen", "AF", OrganisationKind.EMPLOYMENT_SERVICE),
        ),
        themes=(
            (
                "Understanding each other's remit",
                (
                    "What is your remit, and what do you think the others think it is?",
                    "Where do your remits meet, and where do they clash?",
                ),
            ),
            (
                "Work fitted to the individual",
                (
                    "Tell us about an effort fitted to one person. What did it ask of "
                    "collaboration?",
                    "Who keeps in touch with the person when several organisations are involved?",
                ),
            ),
            (
                "Employers and skills supply",
                (
                    "How do you learn which skills the employers need?",
                    "Whom does an employer call when it needs to recruit?",
                ),
            ),
            (
                "Shared ways of working",
                (
                    "Which regular meeting places and routines for collaboration do you have?",
                    "What happens to collaboration when a key person leaves?",
                ),
            ),
            (
                "What do we take with us?",
                (
                    "What have you changed at home since the first meeting?",
                    "Which success factors and obstacles do you recognise most?",
                ),
            ),
        ),
        project=_PROJECT_EN,
        agenda=_AGENDA_EN,
    ),
}


def write_new_project(folder: Path, source: Path | None = None) -> list[Path]:
    """Write the files into ``folder`` (new or empty) and return them, in order.

    Raises :class:`UserError` for a folder that has files, or a ``source`` that is not a
    project folder that checks clean.
    """
    from samverkan.domain.check import default_codebook_path, plan_import, project_file
    from samverkan.domain.errors import UserError
    from samverkan.fileio import write_atomically
    from samverkan.i18n import _, current_language

    folder = folder.expanduser()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UserError(
            _(
                "{folder} already exists and is not an empty folder; give the name of a new folder"
            ).format(folder=folder)
        )
    if source is None:
        project = example_project(folder, "sv" if current_language() == "sv" else "en")
        codebook = default_codebook_path()
    else:
        source = source.expanduser()
        source_folder = source if source.is_dir() else source.parent
        plan = plan_import([source_folder / "project.md"])
        bundle = plan.bundles[0] if plan.ok and plan.bundles else None
        if project_file(source_folder) is None or bundle is None:
            raise UserError(
                _(
                    "{path} is not a project folder that checks clean; "
                    "run 'samverkan check {path}' and fix what it shows"
                ).format(path=source)
            )
        project = project_from(bundle.project, folder)
        codebook = bundle.codebook.path
        if project.short == bundle.project.short:
            raise UserError(
                _(
                    "the new project would have the short code {short} of the project in "
                    "{path}; give the new folder another name"
                ).format(short=project.short, path=source)
            )
    files = render_files(project, codebook.read_text("utf-8"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files.items():
            write_atomically(folder / name, text, overwrite=False)
            written.append(folder / name)
    except OSError as exc:
        raise UserError(
            _("cannot write {folder} ({reason}); choose another place").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    return written
