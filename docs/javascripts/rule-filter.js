// The rules index: show only the rules whose code, name, summary or hadolint/BuildKit
// equivalent contains every word typed (`DL3008`, `StageNameCasing`, `apt pin`).
// `rules/?filter=DL3008` opens the index filtered (`q` is the search box's). Without JavaScript every rule is listed.
(function () {
  function areaBlocks(table) {
    // The table's outermost wrapper inside the page, and everything before it up to and
    // including its area heading.
    let block = table;
    while (block.parentElement && !block.parentElement.classList.contains("md-typeset")) {
      block = block.parentElement;
    }
    const blocks = [block];
    for (let el = block.previousElementSibling; el; el = el.previousElementSibling) {
      blocks.push(el);
      if (el.tagName === "H2") break;
    }
    return blocks;
  }

  function setUp() {
    const input = document.getElementById("rule-filter");
    if (!input || input.dataset.ready) return;
    input.dataset.ready = "true";
    const empty = document.getElementById("rule-filter-empty");
    const tables = Array.from(document.querySelectorAll(".md-content table"));

    function apply() {
      const words = input.value.toLowerCase().split(/[\s,]+/).filter(Boolean);
      let shown = 0;
      for (const table of tables) {
        let visible = 0;
        for (const row of table.tBodies[0].rows) {
          const text = row.textContent.toLowerCase();
          row.hidden = !words.every((word) => text.includes(word));
          if (!row.hidden) visible += 1;
        }
        for (const block of areaBlocks(table)) block.hidden = visible === 0;
        shown += visible;
      }
      if (empty) empty.hidden = shown > 0;
    }

    input.addEventListener("input", apply);
    const query = new URLSearchParams(window.location.search).get("filter");
    if (query) {
      input.value = query;
      apply();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
