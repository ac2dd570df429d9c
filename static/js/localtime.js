// Shows <time data-local> instants in the visitor's own time zone as well (the page gives the charter's zone).
(function () {
  var lang = document.documentElement.lang || "en";
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) { return; }
    var local = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short" }).format(when);
    var note = document.createElement("span");
    note.className = "local-time";
    note.textContent = " (" + local + ")";
    el.after(note);
  });
})();
