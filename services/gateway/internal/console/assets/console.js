// The console works without this script; with it, a submitted form shows
// its loading state (aria-busy) and cannot be sent twice.
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (f.getAttribute("aria-busy") === "true") { e.preventDefault(); return; }
  f.setAttribute("aria-busy", "true");
});
