// Incluye's progressive enhancements. Every page works without them.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// Content that htmx swaps in gets the same behaviour as the page it lands in.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
  enhanceAutocompletes(event.detail.elt);
});

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
