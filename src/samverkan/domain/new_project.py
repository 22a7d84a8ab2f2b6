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
# The files' texts, one per language, with $name-style fields (string.Template): kept as
# Markdown beside this module so that they read, and are edited, as the files they become.
TEMPLATES = Path(__file__).parent / "new_project_templates"


def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


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
        project=_template("project.sv.md"),
        agenda=_template("agenda.sv.md"),
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
        project=_template("project.en.md"),
        agenda=_template("agenda.en.md"),
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
