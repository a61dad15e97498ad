// Papan Apresiasi: live updates over /ws/board/ (server to client only).
// Events carry absolute totals and a `seq` (the ledger id); a frame is one event or, for a
// burst, an array of events in seq order. A client that reconnects or sees a gap in `seq`
// fetches /papan/snapshot/ and redraws; nothing rests on every frame.
(function () {
  "use strict";

  // "Beri Apresiasi": one click, one submission (the server is idempotent per form token too).
  document.querySelectorAll("form.give-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      const button = form.querySelector(".give-submit");
      if (button) window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  const root = document.querySelector("[data-board]");
  if (!root) return;

  const state = {
    seq: parseInt(root.dataset.seq || "0", 10),
    snapshotUrl: root.dataset.snapshotUrl,
    ticket: root.dataset.ticket || "",
    myOpd: root.dataset.myOpd ? parseInt(root.dataset.myOpd, 10) : null,
    myUnit: root.dataset.myUnit ? parseInt(root.dataset.myUnit, 10) : null,
    myRow: root.dataset.myRow || "",
    seasonCode: root.dataset.seasonCode,
    topN: parseInt(root.dataset.topN || "10", 10),
    attempts: 0,
    socket: null,
    fetching: null,
    stopped: false,
  };
  const statusBadge = root.querySelector(".board-status") || document.querySelector(".board-status");

  function setStatus(live) {
    if (!statusBadge) return;
    statusBadge.textContent = live ? statusBadge.dataset.liveLabel : statusBadge.dataset.offlineLabel;
    statusBadge.classList.toggle("text-bg-success", live);
    statusBadge.classList.toggle("text-bg-secondary", !live);
    root.dataset.live = live ? "1" : "0";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function formatNumber(n) {
    return Number(n).toLocaleString(document.documentElement.lang || "id");
  }

  function flash(node) {
    node.classList.remove("board-flash");
    void node.offsetWidth; // restart the animation
    node.classList.add("board-flash");
  }

  // --- rows -------------------------------------------------------------------------------
  function rowNode(row) {
    const li = el("li", "list-group-item board-row d-flex align-items-center gap-3" + (row.me ? " board-me" : ""));
    li.dataset.row = row.row;
    li.dataset.total = row.total;
    li.appendChild(el("span", "board-rank", row.rank));
    const who = el("span", "flex-grow-1 text-break board-who");
    who.appendChild(el("span", "board-name fw-semibold", row.name));
    if (row.me) {
      who.appendChild(document.createTextNode(" "));
      who.appendChild(el("span", "badge text-bg-warning", root.dataset.meLabel || ""));
    }
    who.appendChild(document.createElement("br"));
    let unit = row.unit_name || "";
    if (row.opd_name && row.opd_name !== row.unit_name) unit += (unit ? " · " : "") + row.opd_name;
    who.appendChild(el("small", "text-body-secondary board-unit", unit));
    li.appendChild(who);
    li.appendChild(el("span", "board-total fs-5 fw-semibold text-portal", formatNumber(row.total)));
    return li;
  }

  function renumber(list) {
    Array.from(list.children).forEach(function (li, index) {
      const rank = li.querySelector(".board-rank");
      if (rank) rank.textContent = index + 1;
    });
  }

  function sortRows(list) {
    const items = Array.from(list.children);
    items.sort(function (a, b) { return parseInt(b.dataset.total, 10) - parseInt(a.dataset.total, 10); });
    items.forEach(function (li) { list.appendChild(li); });
    renumber(list);
  }

  function panelAccepts(panel, event) {
    const scope = panel.dataset.scope;
    if (scope === "opd") return event.opd !== null && event.opd === state.myOpd;
    if (scope === "tim") return event.unit !== null && event.unit === state.myUnit;
    return true;
  }

  function totalFor(panel, event) {
    if (panel.dataset.season === "semua") return event.all_total;
    return event.season === state.seasonCode ? event.season_total : null;
  }

  function applyToPanel(panel, event) {
    if (!panelAccepts(panel, event)) return;
    const total = totalFor(panel, event);
    if (total === null || total === undefined) return;
    const list = panel.querySelector(".board-rows");
    let row = list.querySelector('[data-row="' + event.row + '"]');
    if (!row) {
      const last = list.lastElementChild;
      if (list.children.length >= state.topN && last && parseInt(last.dataset.total, 10) >= total) {
        updateMine(panel, event, total);
        return;
      }
      row = rowNode({ rank: 0, row: event.row, name: event.name, unit_name: event.unit_name,
        opd_name: event.opd_name, total: total, me: event.row === state.myRow });
      list.appendChild(row);
    }
    row.dataset.total = total;
    row.querySelector(".board-total").textContent = formatNumber(total);
    sortRows(list);
    while (list.children.length > state.topN) list.removeChild(list.lastElementChild);
    const empty = panel.querySelector(".board-empty");
    if (empty) empty.classList.toggle("d-none", list.children.length > 0);
    if (row.parentNode) flash(row);
    updateMine(panel, event, total);
  }

  function updateMine(panel, event, total) {
    if (!state.myRow || event.row !== state.myRow) return;
    const mine = panel.querySelector(".board-me-rows .board-row");
    if (mine) {
      mine.dataset.total = total;
      mine.querySelector(".board-total").textContent = formatNumber(total);
      flash(mine);
    }
    const inTop = panel.querySelector('.board-rows [data-row="' + state.myRow + '"]');
    const footer = panel.querySelector(".board-mine");
    if (footer && inTop) footer.classList.add("d-none");
  }

  // --- OPD ranking --------------------------------------------------------------------------
  function applyToOpds(event) {
    const body = root.querySelector(".board-opds");
    if (!body || event.opd === null) return;
    const tr = body.querySelector('tr[data-opd="' + event.opd + '"]');
    if (!tr) return;
    if (body.dataset.opdSeason !== "semua" && event.season !== state.seasonCode) return;
    const total = parseInt(tr.dataset.total, 10) + event.points;
    const headcount = parseInt(tr.dataset.headcount, 10) || 1;
    tr.dataset.total = total;
    tr.dataset.perCapita = (total / headcount).toFixed(2);
    tr.querySelector(".opd-per-capita").textContent = (total / headcount).toLocaleString(document.documentElement.lang || "id", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const rows = Array.from(body.querySelectorAll("tr[data-opd]"));
    rows.sort(function (a, b) {
      return (parseInt(b.dataset.total, 10) / (parseInt(b.dataset.headcount, 10) || 1)) -
        (parseInt(a.dataset.total, 10) / (parseInt(a.dataset.headcount, 10) || 1));
    });
    rows.forEach(function (r, i) { body.appendChild(r); r.querySelector(".opd-rank").textContent = i + 1; });
    flash(tr);
  }

  // --- feed ------------------------------------------------------------------------------------
  function feedNode(item) {
    const list = root.querySelector(".board-feed");
    const li = el("li", "list-group-item feed-item");
    li.dataset.id = item.id;
    const line = el("div", "small");
    line.appendChild(el("strong", null, item.giver));
    line.appendChild(document.createTextNode(" → "));
    line.appendChild(el("strong", null, item.receiver));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(el("span", "badge text-bg-light border", item.value));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(el("span", "badge bg-portal",
      item.points ? "+" + item.points + " " + list.dataset.pointsLabel : list.dataset.thanksLabel));
    li.appendChild(line);
    li.appendChild(el("p", "mb-0 small text-body-secondary feed-message", item.message));
    if (list.dataset.storyLinks) {
      const a = el("a", "small", list.dataset.storyLabel);
      a.href = "/admin/cerita/dari/recognition/" + item.id + "/";
      li.appendChild(a);
    }
    return li;
  }

  function applyToFeed(event) {
    const list = root.querySelector(".board-feed");
    const info = event.recognition;
    if (!list || !info) return;
    if (info.revoked) {
      const gone = list.querySelector('[data-id="' + info.id + '"]');
      if (gone) gone.remove();
      return;
    }
    if (list.querySelector('[data-id="' + info.id + '"]')) return;
    const li = feedNode(info);
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 8) list.removeChild(list.lastElementChild);
    const empty = root.querySelector(".feed-empty");
    if (empty) empty.classList.add("d-none");
    flash(li);
  }

  // --- snapshot ----------------------------------------------------------------------------------
  function redraw(data) {
    state.seq = data.seq;
    root.dataset.seq = data.seq;
    if (data.ticket) state.ticket = data.ticket;
    (data.panels || []).forEach(function (panelData) {
      const panel = root.querySelector('[data-panel="' + panelData.id + '"]');
      if (!panel) return;
      const list = panel.querySelector(".board-rows");
      list.replaceChildren.apply(list, panelData.rows.map(rowNode));
      const empty = panel.querySelector(".board-empty");
      if (empty) empty.classList.toggle("d-none", panelData.rows.length > 0);
      const footer = panel.querySelector(".board-mine");
      if (footer && panelData.me) {
        const mineList = footer.querySelector(".board-me-rows");
        mineList.replaceChildren(rowNode(panelData.me));
        footer.classList.toggle("d-none", panelData.me.rank <= panelData.rows.length);
      }
    });
    const body = root.querySelector(".board-opds");
    if (body && data.opds) {
      body.replaceChildren.apply(body, data.opds.slice(0, 10).map(function (opd) {
        const tr = el("tr");
        tr.dataset.opd = opd.opd;
        tr.dataset.total = opd.total;
        tr.dataset.headcount = opd.headcount;
        if (opd.opd === state.myOpd) tr.className = "table-warning";
        tr.appendChild(el("td", "opd-rank", opd.rank));
        tr.appendChild(el("td", null, opd.name));
        tr.appendChild(el("td", "text-end opd-per-capita", Number(opd.per_capita).toLocaleString(document.documentElement.lang || "id", { minimumFractionDigits: 2, maximumFractionDigits: 2 })));
        tr.appendChild(el("td", "text-end d-none d-sm-table-cell", opd.headcount));
        return tr;
      }));
    }
    const feedList = root.querySelector(".board-feed");
    if (feedList && data.feed) {
      feedList.replaceChildren.apply(feedList, data.feed.map(feedNode));
      const empty = root.querySelector(".feed-empty");
      if (empty) empty.classList.toggle("d-none", data.feed.length > 0);
    }
  }

  function fetchSnapshot() {
    if (state.fetching) return state.fetching;
    state.fetching = fetch(state.snapshotUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 403) { state.stopped = true; throw new Error("forbidden"); }
        if (!response.ok) throw new Error("snapshot " + response.status);
        return response.json();
      })
      .then(redraw)
      .catch(function () { /* the next reconnect tries again */ })
      .finally(function () { state.fetching = null; });
    return state.fetching;
  }

  // --- socket ---------------------------------------------------------------------------------------
  function onEvent(event) {
    if (typeof event.seq !== "number") return;
    if (event.seq <= state.seq) return; // already in the snapshot we drew
    if (state.seq && event.seq > state.seq + 1) {
      fetchSnapshot(); // a gap: something was missed, redraw from the truth
      return;
    }
    state.seq = event.seq;
    root.dataset.seq = event.seq;
    root.querySelectorAll("[data-panel]").forEach(function (panel) { applyToPanel(panel, event); });
    applyToOpds(event);
    applyToFeed(event);
  }

  function connect() {
    if (state.stopped) return;
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let url = scheme + window.location.host + root.dataset.wsPath;
    if (state.ticket) url += "?ticket=" + encodeURIComponent(state.ticket);
    const socket = new WebSocket(url);
    state.socket = socket;
    socket.addEventListener("open", function () {
      const reconnected = state.attempts > 0;
      state.attempts = 0;
      setStatus(true);
      if (reconnected) fetchSnapshot();
    });
    socket.addEventListener("message", function (message) {
      let data;
      try { data = JSON.parse(message.data); } catch (error) { return; /* ignore a bad frame */ }
      // A burst arrives as one frame: an array of events in seq order.
      (Array.isArray(data) ? data : [data]).forEach(function (event) {
        try { onEvent(event); } catch (error) { /* one bad event does not stop the rest */ }
      });
    });
    socket.addEventListener("close", function () {
      setStatus(false);
      state.attempts += 1;
      const delay = Math.min(30000, 500 * Math.pow(2, state.attempts)) * (0.5 + Math.random() / 2);
      window.setTimeout(function () {
        // a kiosk refreshes its ticket before reconnecting
        (state.ticket ? fetchSnapshot() : Promise.resolve()).then(connect);
      }, delay);
    });
  }

  // --- kiosk rotation ---------------------------------------------------------------------------
  if (root.dataset.kiosk !== undefined) {
    const slides = Array.from(root.querySelectorAll(".kiosk-slide"));
    const every = parseInt(root.dataset.rotateMs || "15000", 10);
    let current = 0;
    if (slides.length > 1) {
      window.setInterval(function () {
        slides[current].classList.add("d-none");
        current = (current + 1) % slides.length;
        slides[current].classList.remove("d-none");
      }, every);
    }
    // a TV stays on for days: redraw from the snapshot now and then
    window.setInterval(fetchSnapshot, 5 * 60 * 1000);
  }

  connect();
})();
