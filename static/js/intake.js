// The intake form shows the questions of the population chosen (returnee or arrival). Without
// JavaScript the "Show the questions" button does the same through the server.
(function () {
  "use strict";
  var form = document.getElementById("intake");
  if (!form) return;
  var arrivals = ["asylum_seeker", "refugee", "other_migrant"];
  function chosen() {
    var checked = form.querySelector('input[name="population"]:checked');
    return checked ? checked.value : "returnee";
  }
  function update() {
    var population = chosen();
    var groups = arrivals.indexOf(population) >= 0 ? ["arrival", population] : ["returnee"];
    form.querySelectorAll("[data-population]").forEach(function (element) {
      var wanted = element.getAttribute("data-population").split(" ");
      element.hidden = !wanted.some(function (name) { return groups.indexOf(name) >= 0; });
    });
  }
  var refresh = form.querySelector("[data-population-refresh]");
  if (refresh) refresh.hidden = true;
  form.querySelectorAll('input[name="population"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
