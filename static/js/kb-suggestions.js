// While a customer describes a request, the five most relevant knowledge-base articles appear (no reload).
// The ids shown are sent with the request, so staff can see which articles did not answer it.
(function () {
  var form = document.getElementById("request-form");
  var box = document.getElementById("kb-suggestions");
  if (!form || !box) { return; }
  var shown = form.querySelector("input[name=kb_shown]");
  var seen = {};
  var timer = null;

  function value(name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value : "";
  }

  function render(articles) {
    var list = box.querySelector("ul");
    list.textContent = "";
    articles.forEach(function (article) {
      seen[article.id] = true;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = article.url + "?from=intake";
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = article.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.hidden = articles.length === 0;
    shown.value = Object.keys(seen).join(",");
  }

  function ask() {
    var query = (value("subject") + " " + value("fact_description")).trim();
    if (query.length < 3) { return; }
    var params = new URLSearchParams({ q: query, product: value("product"), version: value("version") });
    fetch(box.getAttribute("data-url") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(render)
      .catch(function () { box.hidden = true; });
  }

  form.addEventListener("input", function (event) {
    if (["subject", "fact_description", "version"].indexOf(event.target.name) === -1) { return; }
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "product") { ask(); }
  });
})();
