// Incluye's progressive enhancements. Every page works without them.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
enhanceTables(document);
spaceFileUploads(document);

// Content that htmx swaps in gets the same behaviour as the page it lands in.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
  enhanceTables(event.detail.elt);
  spaceFileUploads(event.detail.elt);
  enhanceAutocompletes(event.detail.elt);
});

// The design system's file upload shows the file chosen and its button on two lines, but their
// texts touch in the markup ("Ningún archivo elegidoElegir archivo"), so a checker of WCAG 2.5.3
// (the visible label inside the accessible name) reads a word that is not there. A space between
// them, which the layout does not show, reads as what the screen shows.
function spaceFileUploads(scope) {
  scope.querySelectorAll(".govuk-file-upload-button__status").forEach((status) => {
    const next = status.nextSibling;
    if (!(next && next.nodeType === Node.TEXT_NODE)) status.after(document.createTextNode(" "));
  });
}

// Long lists (<select data-autocomplete>) become a search-as-you-type field (accessible-autocomplete),
// when its script is on the page; without JavaScript they stay a plain <select>.
function enhanceAutocompletes(scope) {
  const library = window.accessibleAutocomplete;
  const strings = document.getElementById("app-autocomplete-i18n");
  if (!library || !strings) return;
  const t = JSON.parse(strings.textContent);
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  scope.querySelectorAll("select[data-autocomplete]").forEach((select) => {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    library.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: select.options.length <= 60,
      dropdownArrow: () => "",
      minLength: select.options.length > 60 ? 2 : 0,
      tNoResults: () => t.noResults,
      tStatusQueryTooShort: (minQueryLength) => fill(t.queryTooShort, { n: minQueryLength }),
      tStatusNoResults: () => t.noResults,
      tStatusSelectedOption: (option, length, index) => fill(t.selectedOption, { option, n: index + 1, total: length }),
      tStatusResults: (length, selected) => fill(length === 1 ? t.oneResult : t.results, { n: length }) + " " + selected,
      tAssistiveHint: () => t.hint,
      // Pick the option in the <select> and say so, for whatever listens (htmx on the occupation).
      onConfirm: (label) => {
        const option = [...select.options].find((o) => o.textContent.trim() === (label || "").trim());
        if (!option || option.selected) return;
        option.selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      },
    });
  });
}
enhanceAutocompletes(document);

// Links and buttons that ask before they act: <button data-confirm="…"> (the server still asks
// for its own confirmation where an action cannot be undone).
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-confirm]");
  if (trigger && !window.confirm(trigger.dataset.confirm)) event.preventDefault();
});

// "Print" buttons.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// Tables on a phone: each row becomes a card, each cell named by its column (the cells get the
// column's name; CSS does the rest). A table that is still wider than the screen scrolls in its
// own frame, which the keyboard can reach and screen readers name. Without JavaScript, tables
// scroll in their frame.
function enhanceTables(scope) {
  scope.querySelectorAll(".app-main table").forEach((table) => {
    if (table.dataset.enhanced) return;
    table.dataset.enhanced = "1";
    let frame = table.parentElement;
    if (!frame.classList.contains("table-wrap") && !frame.classList.contains("app-table-wrap")) {
      frame = document.createElement("div");
      frame.className = "app-table-wrap";
      table.replaceWith(frame);
      frame.appendChild(table);
    }
    const headers = table.tHead ? [...table.tHead.rows[table.tHead.rows.length - 1].cells] : [];
    if (headers.length > 1 && !table.hasAttribute("data-no-stack")) {
      table.classList.add("app-table--stack");
      const names = [];
      headers.forEach((cell) => { for (let i = 0; i < cell.colSpan; i++) names.push(cell.textContent.trim()); });
      for (const body of [...table.tBodies, ...(table.tFoot ? [table.tFoot] : [])]) {
        for (const row of body.rows) {
          let column = 0;
          for (const cell of row.cells) {
            const spansTheRow = cell.colSpan > 1 && cell.colSpan >= names.length;
            if (!cell.hasAttribute("data-label") && names[column] && !spansTheRow) cell.dataset.label = names[column];
            column += cell.colSpan;
          }
        }
      }
    }
    const label = table.caption ? table.caption.textContent.trim() : (headers[0] ? headers[0].textContent.trim() : "");
    const markScroll = () => {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        frame.tabIndex = 0;
        frame.setAttribute("role", "region");
        if (label && !frame.hasAttribute("aria-label")) frame.setAttribute("aria-label", label);
      } else if (frame.getAttribute("role") === "region") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    };
    markScroll();
    window.addEventListener("resize", markScroll);
  });
}
