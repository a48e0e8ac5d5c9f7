// STS Clearance Hub — the page's behaviour. Everything here is an enhancement: every page
// reads, navigates and submits without it. Loaded from this origin only (the CSP forbids
// inline scripts).
//
//  - live updates: an EventSource on the room's event stream (outside rooms, the user's own,
//    for the bell); each event makes the page's sections re-fetch themselves (htmx,
//    "room-changed" on the body). Events missed while disconnected are not replayed: the
//    stream, told the position the page was rendered at, sends "catch_up" when the room
//    changed since (and nothing when not, so connecting right after loading re-downloads
//    nothing). A status bar says whether the page is live.
//  - sections that are being edited are not replaced under the user's hands: their refresh
//    waits until focus leaves them.
//  - toasts for the messages forms send back (HX-Trigger "stshub:flash").
//  - the IMO number of the vessel form is checked as it is typed (the server checks again).
//  - uploads show their progress (XMLHttpRequest), and fall back to a normal post; an
//    expiry date already past (or before the operation ends) is said before the form is sent.
(function () {
  "use strict";

  // ---- toasts ------------------------------------------------------------------------

  function toast(kind, message) {
    var box = document.getElementById("toasts");
    if (!box || !message) return;
    var el = document.createElement("div");
    el.className = "toast toast-" + (kind === "error" ? "error" : "ok");
    el.setAttribute("role", kind === "error" ? "alert" : "status");
    el.textContent = (kind === "error" ? "✕ " : "✓ ") + message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { el.remove(); });
    el.appendChild(close);
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, kind === "error" ? 12000 : 5000);
  }

  document.body.addEventListener("stshub:flash", function (e) {
    var d = e.detail || {};
    var v = d.value || d;
    toast(v.kind, v.message);
  });

  // A request htmx could not complete at all (network down, server error without a page).
  document.body.addEventListener("htmx:sendError", function () {
    toast("error", "The server could not be reached. Check the connection and try again.");
  });
  document.body.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail && e.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Trigger")) return; // the server sent its own message
    toast("error", "Something went wrong (" + (xhr ? xhr.status : "?") + "). Reload the page and try again.");
  });

  // ---- sections that are being edited ---------------------------------------------

  // A form is "dirty" from the first keystroke until it is submitted.
  document.addEventListener("input", markDirty, true);
  document.addEventListener("change", markDirty, true);
  function markDirty(e) {
    var form = e.target && e.target.form;
    if (form && form.method.toLowerCase() === "post") form.dataset.dirty = "1";
  }
  document.addEventListener("submit", function (e) {
    if (e.target && e.target.dataset) delete e.target.dataset.dirty;
  }, true);

  function typing(section) {
    var a = document.activeElement;
    if (a && section.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) &&
        a.type !== "submit" && a.type !== "button" && a.type !== "checkbox" && a.type !== "radio") {
      return true;
    }
    return !!section.querySelector("form[data-dirty]");
  }

  // Live re-fetches of a section wait while the user is typing in it: the section is marked
  // stale and refreshed when focus leaves it (and no form in it has unsent changes).
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-live-section")) return;
    if (elt.hasAttribute("data-uploading") || typing(elt)) {
      e.preventDefault();
      elt.dataset.stale = "1";
    }
  });
  document.addEventListener("focusout", function (e) {
    var section = e.target.closest && e.target.closest("[data-live-section][data-stale]");
    if (!section) return;
    setTimeout(function () {
      if (!section.isConnected || section.contains(document.activeElement) || typing(section)) return;
      delete section.dataset.stale;
      htmx.trigger(section, "stshub:refresh");
    }, 50);
  });

  // <details> keep their open state across a section's refresh (outerHTML swaps replace
  // the element, so the ids are remembered and looked up again afterwards). So does the
  // focus: after an inline action (approving a row, answering an item) the section is
  // re-rendered, and the focus returns to the same control, or to its row when the control
  // is gone (an approved document has no Approve button), without scrolling the page.
  // A section on screen stays where it was: the browser's scroll anchoring loses its anchor
  // when the section holding it is replaced and re-anchors below it, which made the page
  // jump by the section's height; the section's top is kept at its place in the viewport
  // instead. (A section wholly above the viewport is left to the browser's anchoring.)
  var openDetails = [];
  var keptFocus = null;
  var keptTop = null;
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var t = e.detail && e.detail.target;
    if (!t || !t.querySelectorAll) return;
    var box = t.getBoundingClientRect();
    keptTop = t.id && box.bottom > 0 && box.top < window.innerHeight ? {id: t.id, top: box.top} : null;
    t.querySelectorAll("details[id][open]").forEach(function (d) { openDetails.push(d.id); });
    var a = document.activeElement;
    if (a && a !== document.body && t.contains(a)) {
      var row = a.closest("[id]");
      keptFocus = row && {row: row.id, testid: a.getAttribute("data-testid"), name: a.getAttribute("name"), tag: a.tagName};
    }
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    openDetails.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) d.open = true;
    });
    openDetails = [];
    if (keptTop) {
      var swapped = document.getElementById(keptTop.id);
      var moved = swapped ? swapped.getBoundingClientRect().top - keptTop.top : 0;
      if (moved) window.scrollBy(0, moved);
    }
    keptTop = null;
    if (keptFocus) restoreFocus(keptFocus);
    keptFocus = null;
  });
  function restoreFocus(k) {
    var row = document.getElementById(k.row);
    if (!row) return;
    var sel = k.testid ? "[data-testid=\"" + k.testid + "\"]" : k.name ? k.tag.toLowerCase() + "[name=\"" + k.name + "\"]" : null;
    var el = (sel && (row.matches(sel) ? row : row.querySelector(sel))) || row;
    if (el === row && !row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
    el.focus({preventScroll: true});
  }
  // Initialise behaviour (IMO check, uploads) on content htmx swaps in.
  document.body.addEventListener("htmx:load", function (e) { enhance(e.detail.elt); });

  // ---- live updates ---------------------------------------------------------------

  var liveKinds = [
    "room_created", "room_updated", "room_deleted", "room_status_changed", "room_archived", "room_unarchived",
    "party_added", "party_updated", "party_removed",
    "vessel_added", "vessel_updated", "vessel_removed",
    "document_uploaded", "document_approved", "document_rejected", "document_expired",
    "requirement_added", "requirement_waived",
    "approval_recorded", "approval_withdrawn",
    "checklist_item_checked", "checklist_signed", "checklist_item_unchecked",
    "coastal_notice_recorded",
    "snapshot_created", "snapshot_completed", "snapshot_failed", "snapshot_deleted",
    "question_opened", "question_replied", "question_resolved", "question_reopened",
    "admin_room_access", "access_revoked", "session_ended",
    "catch_up" // the room changed after the page was rendered, while it was not listening
  ];

  // Downloads and views change nothing but the trail: they re-fetch the activity section alone.
  var activityKinds = ["document_downloaded", "document_previewed", "snapshot_downloaded"];

  function startLive(url) {
    var bar = document.getElementById("live-status");
    var text = bar && bar.querySelector(".live-text");
    var source = null;
    var everLive = false;
    var retry = 1000;
    var timer = null;

    function status(state, message) {
      if (!bar) return;
      bar.dataset.state = state;
      if (text) text.textContent = message;
    }

    function refreshAll(kind) {
      htmx.trigger(document.body, "room-changed", { kind: kind || "reconnect" });
    }

    // A page that names the change position it was rendered at (?since=) is told by the
    // stream whether the room changed since (catch_up); one that does not catches up itself.
    var knowsSince = /[?&]since=/.test(url);

    function connect() {
      timer = null;
      status(everLive ? "reconnecting" : "connecting", everLive ? "Connection lost — reconnecting…" : "Connecting to live updates…");
      source = new EventSource(url);
      source.onopen = function () {
        retry = 1000;
        if (everLive) {
          status("restored", "Live again — the page is up to date.");
          setTimeout(function () {
            if (bar && bar.dataset.state === "restored") status("live", "Live — changes by others appear as they happen.");
          }, 6000);
        } else {
          status("live", "Live — changes by others appear as they happen.");
        }
        // Catch up on whatever happened while we were not listening: the stream says so
        // when the page named its position, otherwise re-fetch everything. The bell was
        // drawn with the page: only a reconnect may have missed a notification.
        if (!knowsSince) refreshAll("connected");
        if (everLive || !knowsSince) htmx.trigger(document.body, "notifications-changed", {});
        everLive = true;
      };
      source.onerror = function () {
        if (source.readyState === EventSource.CLOSED) {
          // The browser gave up (an error status): try again ourselves, slower each time.
          source.close();
          status("lost", "Connection lost — reconnecting…");
          if (!timer) timer = setTimeout(connect, retry);
          retry = Math.min(retry * 2, 30000);
        } else {
          status("reconnecting", "Connection lost — reconnecting…");
        }
      };
      liveKinds.forEach(function (kind) {
        source.addEventListener(kind, function () {
          if (kind === "session_ended") {
            source.close();
            status("lost", "You are signed out.");
            window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
            return;
          }
          if (kind === "access_revoked" || kind === "room_deleted") {
            source.close();
            status("lost", kind === "room_deleted" ? "This room was deleted." : "Your access to this room has ended.");
            window.location.assign("/");
            return;
          }
          refreshAll(kind);
        });
      });
      // The user's own notifications changed: the bell re-fetches its count.
      source.addEventListener("notification", function () {
        htmx.trigger(document.body, "notifications-changed", {});
      });
      activityKinds.forEach(function (kind) {
        source.addEventListener(kind, function () {
          htmx.trigger(document.body, "activity-changed", { kind: kind });
        });
      });
    }

    window.addEventListener("pagehide", function () { if (source) source.close(); });
    connect();
  }

  // ---- IMO check digit --------------------------------------------------------------

  // The rule of clearance.NormalizeShipIMO: optional "IMO" prefix with spaces, colons or
  // hyphens, 7 digits; digits 1–6 times 7,6,5,4,3,2, summed, mod 10 is digit 7.
  function checkIMO(value) {
    var s = value.trim();
    if (s === "") return { ok: false, empty: true };
    if (s.length >= 3 && s.slice(0, 3).toUpperCase() === "IMO") s = s.slice(3).replace(/^[ :\-]+/, "");
    if (!/^[0-9]{7}$/.test(s)) return { ok: false, message: "must be 7 digits" };
    var weights = [7, 6, 5, 4, 3, 2], sum = 0;
    for (var i = 0; i < 6; i++) sum += (s.charCodeAt(i) - 48) * weights[i];
    var want = sum % 10;
    if (want !== s.charCodeAt(6) - 48) return { ok: false, message: "check digit does not match (expected " + want + ")" };
    return { ok: true, digits: s };
  }

  function enhanceIMO(input) {
    if (input.dataset.imoReady) return;
    input.dataset.imoReady = "1";
    var out = document.getElementById(input.id + "-check");
    function update(final) {
      var r = checkIMO(input.value);
      if (r.empty) {
        input.setCustomValidity("");
        if (out) { out.textContent = ""; out.className = "imo-check hint"; }
        return;
      }
      if (r.ok) {
        input.setCustomValidity("");
        if (out) { out.textContent = "✓ valid IMO number " + r.digits; out.className = "imo-check imo-ok"; }
      } else {
        input.setCustomValidity("IMO number " + r.message);
        // While typing, only say so once 7 characters are there.
        if (out && (final || input.value.replace(/\D/g, "").length >= 7)) {
          out.textContent = "✕ IMO number " + r.message;
          out.className = "imo-check imo-bad";
        } else if (out) {
          out.textContent = "";
          out.className = "imo-check hint";
        }
      }
    }
    input.addEventListener("input", function () { update(false); });
    input.addEventListener("blur", function () { update(true); });
    if (input.value) update(true);
  }

  // ---- expiry dates of uploads --------------------------------------------------------

  // An expiry date already past, or before the operation window ends, is said as it is
  // typed, before the form is sent. A past one must be confirmed (the box is required
  // then); the server asks the same of a form sent without this script. The dates the
  // input carries come from the server (clearance.FirstDateValidAt), so the time of day a
  // type's validity ends at is taken into account; ISO dates compare as strings.
  function enhanceExpiry(input) {
    if (input.dataset.expiryReady) return;
    input.dataset.expiryReady = "1";
    var form = input.form;
    var out = document.getElementById("upload-expiry-check");
    var confirm = form && form.querySelector(".expiry-confirm");
    var box = confirm && confirm.querySelector("input[type=checkbox]");
    function update() {
      var v = input.value;
      var expired = v !== "" && input.dataset.validFrom && v < input.dataset.validFrom;
      var lapses = !expired && v !== "" && input.dataset.throughFrom && v < input.dataset.throughFrom;
      if (out) out.textContent = expired ? out.dataset.expiredText : lapses ? out.dataset.lapsesText : "";
      if (confirm && box) {
        var shown = expired || confirm.querySelector(".field-error");
        confirm.hidden = !shown;
        box.required = !!expired;
        if (!expired) box.checked = false;
      }
    }
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  }

  // ---- uploads with progress -------------------------------------------------------

  function enhanceUpload(form) {
    if (form.dataset.uploadReady || !window.FormData || !window.XMLHttpRequest) return;
    form.dataset.uploadReady = "1";
    form.addEventListener("submit", function (e) {
      if (!form.checkValidity()) return;
      e.preventDefault();
      var section = form.closest("[data-live-section]");
      var box = form.querySelector(".upload-progress");
      var bar = box && box.querySelector("progress");
      var label = box && box.querySelector(".upload-progress-text");
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.setRequestHeader("HX-Current-URL", window.location.href);
      if (box) box.hidden = false;
      if (button) button.disabled = true;
      if (section) section.setAttribute("data-uploading", "");
      xhr.upload.addEventListener("progress", function (p) {
        if (!p.lengthComputable) return;
        var pct = Math.floor(p.loaded * 100 / p.total);
        if (bar) bar.value = pct;
        if (label) label.textContent = pct < 100 ? "Uploading… " + pct + "%" : "Checking and storing the file…";
      });
      function finish() {
        if (section) section.removeAttribute("data-uploading");
        if (button) button.disabled = false;
      }
      xhr.addEventListener("load", function () {
        finish();
        var trigger = xhr.getResponseHeader("HX-Trigger");
        var redirect = xhr.getResponseHeader("HX-Redirect");
        if (redirect) { window.location.assign(redirect); return; }
        if (xhr.status === 204) {
          delete form.dataset.dirty;
          form.reset();
          if (box) box.hidden = true;
          try {
            var t = JSON.parse(trigger || "{}");
            if (t["stshub:flash"]) toast(t["stshub:flash"].kind, t["stshub:flash"].message);
          } catch (_) { /* no message */ }
          htmx.trigger(document.body, "room-changed", { kind: "document_uploaded" });
          return;
        }
        if (section && xhr.responseText && /^\s*</.test(xhr.responseText) && xhr.status !== 404 && xhr.status < 500) {
          // The refused form, with its messages: swap the section for it.
          delete form.dataset.dirty;
          var holder = document.createElement("div");
          holder.innerHTML = xhr.responseText;
          var fresh = holder.firstElementChild;
          if (fresh) {
            section.replaceWith(fresh);
            htmx.process(fresh);
            enhance(fresh);
            var focus = fresh.querySelector("[aria-invalid=true], .alert");
            if (focus && focus.focus) focus.focus();
          }
          return;
        }
        if (box) box.hidden = true;
        try {
          var m = JSON.parse(trigger || "{}")["stshub:flash"];
          toast("error", m ? m.message : "The upload failed (" + xhr.status + ").");
        } catch (_) {
          toast("error", "The upload failed (" + xhr.status + ").");
        }
      });
      xhr.addEventListener("error", function () {
        finish();
        if (box) box.hidden = true;
        toast("error", "The upload was interrupted. Check the connection and try again.");
      });
      xhr.send(new FormData(form));
    });
  }

  // ---- start -----------------------------------------------------------------------

  function enhance(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("input[data-imo]").forEach(enhanceIMO);
    root.querySelectorAll("form[data-upload]").forEach(enhanceUpload);
    root.querySelectorAll("input[data-expiry-check]").forEach(enhanceExpiry);
  }

  enhance(document);
  // A room page's stream carries the room's events and the user's; a page outside rooms
  // listens to the user's alone (the bell).
  var events = document.body.getAttribute("data-room-events") || document.body.getAttribute("data-user-events");
  if (events && window.EventSource && window.htmx) startLive(events);
})();
