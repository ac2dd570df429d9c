// Knowledge-base search on the static site: no server, so the search page loads this language's index
// (search-index.json, written at build time from the portal's FTS rows) and ranks the articles the way the
// portal does: the visitor's words as phrases, accents and French elisions ignored, the last word a prefix while
// typed, bm25 with a title word worth ten words of text and a tag word four; articles with every word first,
// then those with some. Product and version filters as on the portal.
(function () {
  "use strict";
  var box = document.getElementById("kb-static-results");
  if (!box) { return; }
  var WEIGHTS = { title: 10, body: 1, tags: 4 };
  var K1 = 1.2, B = 0.75, LIMIT = 20, MAX_CHARS = 500, MAX_TERMS = 16, PREFIX_MIN = 3, SNIPPET_WORDS = 18;
  var ELISION = /^(?:[ldjmnstc]|qu)['’]/i;
  var WORD = /[\p{L}\p{N}]+/gu;

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function tokens(text) {
    return fold(text).match(WORD) || [];
  }

  function queryTerms(query) {
    var terms = [];
    query.slice(0, MAX_CHARS).normalize("NFKC").split(/\s+/).forEach(function (chunk) {
      var words = tokens(chunk.replace(ELISION, ""));
      if (chunk && words.length) { terms.push(words); }
    });
    return terms.slice(0, MAX_TERMS);
  }

  function phraseCount(words, phrase, prefix) {
    var count = 0;
    for (var i = 0; i + phrase.length <= words.length; i++) {
      var ok = true;
      for (var j = 0; j < phrase.length && ok; j++) {
        var last = prefix && j === phrase.length - 1;
        ok = last ? words[i + j].indexOf(phrase[j]) === 0 : words[i + j] === phrase[j];
      }
      if (ok) { count++; }
    }
    return count;
  }

  function prepare(documents) {
    documents.forEach(function (doc) {
      doc.words = { title: tokens(doc.title), body: tokens(doc.body), tags: tokens(doc.tags) };
      doc.length = doc.words.title.length + doc.words.body.length + doc.words.tags.length;
    });
    return documents;
  }

  function search(documents, query, everyWord) {
    var terms = queryTerms(query);
    if (!terms.length) { return []; }
    var typing = !/\s$/.test(query) && query.length <= MAX_CHARS;
    var lastWord = terms[terms.length - 1];
    var prefixLast = typing && lastWord[lastWord.length - 1].length >= PREFIX_MIN;
    var average = documents.reduce(function (sum, doc) { return sum + doc.length; }, 0) / (documents.length || 1);
    var counts = documents.map(function (doc) {
      return terms.map(function (phrase, position) {
        var prefix = prefixLast && position === terms.length - 1;
        var weighted = 0;
        Object.keys(WEIGHTS).forEach(function (field) {
          weighted += WEIGHTS[field] * phraseCount(doc.words[field], phrase, prefix);
        });
        return weighted;
      });
    });
    var idf = terms.map(function (phrase, position) {
      var holding = counts.filter(function (row) { return row[position] > 0; }).length;
      var value = Math.log((documents.length - holding + 0.5) / (holding + 0.5));
      return value > 0 ? value : 1e-6;
    });
    var hits = [];
    documents.forEach(function (doc, index) {
      var row = counts[index];
      var found = row.filter(function (count) { return count > 0; }).length;
      if (found === 0 || (everyWord && found < terms.length)) { return; }
      var score = 0;
      row.forEach(function (count, position) {
        score += idf[position] * (count * (K1 + 1)) / (count + K1 * (1 - B + B * doc.length / average));
      });
      hits.push({ doc: doc, score: score, terms: terms, prefixLast: prefixLast });
    });
    return hits.sort(function (a, b) { return b.score - a.score; });
  }

  function ranked(documents, query) {
    var hits = search(documents, query, true);
    if (hits.length < LIMIT) {
      var found = {};
      hits.forEach(function (hit) { found[hit.doc.id] = true; });
      search(documents, query, false).forEach(function (hit) {
        if (!found[hit.doc.id]) { hits.push(hit); }
      });
    }
    return hits.slice(0, LIMIT);
  }

  function snippet(hit) {
    // The words of the text around the first match, the matched words in <mark> (built as DOM, never as HTML).
    var words = hit.doc.body.split(/\s+/);
    var folded = words.map(function (word) { return tokens(word).join(" "); });
    var wanted = [];
    hit.terms.forEach(function (phrase) { wanted = wanted.concat(phrase); });
    function matches(position) {
      var parts = folded[position].split(" ");
      return wanted.some(function (word, index) {
        var prefix = hit.prefixLast && index === wanted.length - 1;
        return parts.some(function (part) { return prefix ? part.indexOf(word) === 0 : part === word; });
      });
    }
    var first = 0;
    while (first < words.length && !matches(first)) { first++; }
    if (first === words.length) { first = 0; }
    var start = Math.max(0, first - 4);
    var paragraph = document.createElement("p");
    paragraph.className = "snippet";
    paragraph.lang = hit.doc.language;
    paragraph.appendChild(document.createTextNode(start > 0 ? "…" : ""));
    words.slice(start, start + SNIPPET_WORDS).forEach(function (word, offset) {
      if (offset > 0) { paragraph.appendChild(document.createTextNode(" ")); }
      if (matches(start + offset)) {
        var mark = document.createElement("mark");
        mark.textContent = word;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(word));
      }
    });
    if (start + SNIPPET_WORDS < words.length) { paragraph.appendChild(document.createTextNode("…")); }
    return paragraph;
  }

  function fits(doc, product, version) {
    return (!product || !doc.products.length || doc.products.indexOf(product) !== -1) &&
      (!version || !doc.versions.length || doc.versions.indexOf(version) !== -1);
  }

  function show(hits, query) {
    var language = box.getAttribute("data-language");
    var heading = box.querySelector("h2");
    var list = box.querySelector("ol");
    var none = box.querySelector("p.notice");
    heading.textContent = query ? box.getAttribute("data-heading").replace("{query}", query)
      : box.getAttribute("data-heading-filtered");
    list.textContent = "";
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = box.getAttribute("data-article").replace("{id}", hit.doc.id);
      link.lang = hit.doc.language;
      link.textContent = hit.doc.title;
      item.appendChild(link);
      if (hit.doc.language !== language) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = box.getAttribute("data-only-" + hit.doc.language);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge);
      }
      if (query) { item.appendChild(snippet(hit)); }
      list.appendChild(item);
    });
    none.textContent = box.getAttribute(query ? "data-none" : "data-none-filtered");
    none.hidden = hits.length > 0;
    list.hidden = hits.length === 0;
    var all = document.getElementById("kb-all");
    if (all && all.parentElement) { all.parentElement.hidden = true; }
    box.hidden = false;
  }

  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").slice(0, MAX_CHARS);
  var product = params.get("product") || "";
  var version = params.get("version") || "";
  var form = document.querySelector("form.kb-search");
  if (form) {
    form.elements.q.value = query;
    form.elements.product.value = product;
    form.elements.version.value = version;
  }
  if (!query.trim() && !product && !version) { return; }
  fetch(box.getAttribute("data-index"))
    .then(function (response) { return response.json(); })
    .then(function (index) {
      var documents = prepare(index.documents).filter(function (doc) { return fits(doc, product, version); });
      var hits = query.trim() ? ranked(documents, query)
        : documents.map(function (doc) { return { doc: doc, score: 0, terms: [] }; });
      show(hits, query.trim() ? query : "");
      box.setAttribute("data-ready", "true");
    })
    .catch(function () { box.hidden = true; });
})();
