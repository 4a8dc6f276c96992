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

// The age pyramid: men to the left, women to the right.
(function () {
  if (typeof echarts === 'undefined') return;
  document.querySelectorAll('[data-pyramid]').forEach(function (el) {
    var d = JSON.parse(el.getAttribute('data-pyramid'));
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (p) {
        return p[0].name + '<br>' + p.map(function (s) { return s.seriesName + ': ' + Math.abs(s.value); }).join('<br>'); } },
      legend: { data: [d.maleLabel, d.femaleLabel] },
      grid: { left: 56, right: 24, bottom: 32, top: 40 },
      xAxis: { type: 'value', axisLabel: { formatter: function (v) { return Math.abs(v); } } },
      yAxis: { type: 'category', data: d.bands },
      series: [
        { name: d.maleLabel, type: 'bar', stack: 'a', data: d.male.map(function (v) { return -v; }), itemStyle: { color: '#3b5b8c' } },
        { name: d.femaleLabel, type: 'bar', stack: 'a', data: d.female, itemStyle: { color: '#b3261e' } }
      ]
    });
    window.addEventListener('resize', function () { chart.resize(); });
  });
})();
