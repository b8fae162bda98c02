// The console works without this script; with it, a submitted form shows
// its loading state (aria-busy) and cannot be sent twice.
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (f.getAttribute("aria-busy") === "true") { e.preventDefault(); return; }
  f.setAttribute("aria-busy", "true");
});

// A running import's progress region (data-refresh) is read again every
// second and swapped in place, so the bar moves without reloading the page
// or losing the keyboard focus; it stops once the operation is done.
(function () {
  function poll() {
    var region = document.querySelector("[data-refresh]");
    if (!region) { return; }
    fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
      if (next) { region.replaceWith(next); }
      setTimeout(poll, 1000);
    }, function () { setTimeout(poll, 3000); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setTimeout(poll, 1000); });
  } else {
    setTimeout(poll, 1000);
  }
})();
