// The only script of samverkan's own on the page: the "join again" button.
// (No inline scripts: the Content-Security-Policy allows scripts from this server only.)
document.addEventListener("DOMContentLoaded", () => {
  const again = document.getElementById("again");
  if (again) {
    again.addEventListener("click", () => window.location.replace("/"));
  }
});
