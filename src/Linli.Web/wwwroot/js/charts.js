// Charts with Apache ECharts (from npm, served locally).
(function () {
  if (typeof echarts === 'undefined') return;
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var d = JSON.parse(el.getAttribute('data-chart'));
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      legend: { data: [d.homesLabel, d.buildingsLabel] },
      grid: { left: 48, right: 48, bottom: 48, top: 40 },
      xAxis: { type: 'category', data: d.labels, axisLabel: { interval: 0 } },
      yAxis: [{ type: 'value', name: d.homesLabel }, { type: 'value', name: d.buildingsLabel }],
      series: [
        { name: d.homesLabel, type: 'bar', data: d.homes, itemStyle: { color: '#b3261e' } },
        { name: d.buildingsLabel, type: 'line', yAxisIndex: 1, data: d.buildings, itemStyle: { color: '#595f66' } }
      ]
    });
    window.addEventListener('resize', function () { chart.resize(); });
  });
})();
