// The results chart of a cluster page (Chart.js, served from static/vendor): the members by
// result, highest first, with their rank; the self-assessed score beside it. The figures come
// from a <script type="application/json"> block (json_script), never from inline code.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  const element = document.getElementById("cluster-chart-data");
  const canvas = document.querySelector('canvas[data-chart="cluster-results"]');
  if (!element || !canvas) return;
  const data = JSON.parse(element.textContent);
  const language = document.documentElement.lang || "vi";
  const number = new Intl.NumberFormat(language === "vi" ? "vi-VN" : "en-GB", {
    maximumFractionDigits: 2,
  });
  const vi = language === "vi";
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels.map((label, i) => `${data.ranks[i]}. ${label}`),
      datasets: [
        { label: vi ? "Kết quả" : "Result", data: data.results, backgroundColor: "#b3261e", borderRadius: 3, maxBarThickness: 22 },
        { label: vi ? "Tự chấm" : "Self-assessed", data: data.self, backgroundColor: "#cbd5e1", borderRadius: 3, maxBarThickness: 22 },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      plugins: {
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${number.format(item.raw)}` } },
      },
      scales: { x: { beginAtZero: true }, y: { grid: { display: false } } },
    },
  });
})();
