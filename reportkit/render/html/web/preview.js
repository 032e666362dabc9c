// The preview page: when the server says the report was rebuilt, fetch the new report and
// put it in place. No reload, so the reader keeps their place on the page.
(function () {
  "use strict";
  var report = document.getElementById("report");
  var status = document.getElementById("status");
  var shown = report.dataset.version;
  var wanted = shown;
  var fetching = false;
  var goodScroll = null; // where the reader was before an error replaced the report

  function say(text, kind) {
    status.textContent = text;
    status.className = "status" + (kind ? " " + kind : "");
  }

  function clock() {
    return new Date().toLocaleTimeString("zh-CN", { hour12: false });
  }

  function refresh() {
    if (fetching || wanted === shown) return;
    fetching = true;
    fetch("/fragment", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var version = response.headers.get("X-Report-Version");
        var ok = response.headers.get("X-Report-Ok") === "1";
        var ms = response.headers.get("X-Build-Ms");
        return response.text().then(function (html) {
          var wasError = report.dataset.ok === "0";
          if (!ok && !wasError) goodScroll = window.scrollY;
          report.innerHTML = html;
          report.dataset.version = version;
          report.dataset.ok = ok ? "1" : "0";
          shown = version;
          if (ok && wasError && goodScroll !== null) window.scrollTo(0, goodScroll);
          if (ok) say(clock() + " 已更新（" + ms + " 毫秒）");
          else say(clock() + " 报告有错误，保存修正后自动恢复", "error");
        });
      })
      .then(function () {
        fetching = false;
        if (wanted !== shown) refresh(); // saved again while this one was on its way
      }, function () {
        fetching = false;
        say("无法取得报告，正在重试…", "offline");
        setTimeout(refresh, 1000);
      });
  }

  var events = new EventSource("/events");
  events.addEventListener("version", function (event) {
    wanted = event.data;
    refresh();
  });
  events.addEventListener("open", function () {
    if (report.dataset.ok !== "0") say("预览已连接，保存文件后自动更新");
  });
  events.addEventListener("error", function () {
    say("与预览服务器的连接已断开，正在重连…", "offline");
  });
})();
