// The student's work in the course in the browser.
//
// JupyterLite keeps every file a student changes in the browser's storage (IndexedDB, the store
// "files" of the database "JupyterLite Storage - <the site's path>"), in front of the site's own copy: the site's copy
// shows again only when the student's is deleted. This script, added to JupyterLab's page by the
// build, gives the student what that storage lacks:
//
// * File > Download All My Work: a zip of every file the student changed or created, with the
//   attempt log (.course_attempts.jsonl, which the grader reads) and course-work.json saying what
//   the zip is. `python -m course_lib.grade` takes the zip as it is.
// * File > Restore the Original of This Notebook: the site's version back; the student's version
//   is kept beside it under a dated name, never lost.
// * The attempt log kept across visits: the kernel sends each judged answer on the
//   BroadcastChannel "course-attempts" (course_lib/attempts.py); this page appends it to
//   .course_attempts.jsonl in the browser's storage, one writer at a time (Web Locks) and each line
//   once (every open tab of the course hears the same message). A new kernel reads the file once,
//   so attempts go on counting after a reload.
// * A new version of the site: a notebook the student changed that the new version changes too
//   keeps the student's version under its name, and the new version is put beside it (the rule of
//   nbgitpuller, which pulls course updates on a hub: the student's work is never replaced). The
//   browser remembers which version of the site it last saw (course-site.json, written by the build).
//
// Each action says what it did in one line at the bottom of the page (role="status"), closed with
// its button. window.courseWork holds the state for tests.
(function () {
  "use strict";
  var LOG = ".course_attempts.jsonl";
  var CHANNEL = "course-attempts";
  var SEEN = "course-site-seen";
  var script = document.currentScript;
  var ROOT = new URL(".", script ? script.src : window.location.href).href;  // the site's folder
  // JupyterLite's database, one per site address: its storage name and the site's path on the host.
  var DATABASE = "JupyterLite Storage - " + new URL(ROOT).pathname;
  var encoder = new TextEncoder();
  var state = window.courseWork = {
    ready: false, logged: 0, pending: 0, updated: [], restored: [], downloaded: null, errors: [], message: ""
  };

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function today() {  // the student's own date, 2026-12-08
    var now = new Date();
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }

  function minute() {  // 2026-12-08 14.05: a file name's time (no colon: Windows refuses it)
    var now = new Date();
    return today() + " " + two(now.getHours()) + "." + two(now.getMinutes());
  }

  function split(path) {  // "dir/name.ipynb" -> ["dir/", "name", ".ipynb"]
    var slash = path.lastIndexOf("/") + 1;
    var name = path.slice(slash);
    var dot = name.lastIndexOf(".");
    return dot > 0 ? [path.slice(0, slash), name.slice(0, dot), name.slice(dot)] : [path.slice(0, slash), name, ""];
  }

  function fileUrl(path) {
    return ROOT + "files/" + path.split("/").map(encodeURIComponent).join("/");
  }

  function app() {
    return new Promise(function (resolve) {
      (function wait() {
        if (window.jupyterapp && window.jupyterapp.serviceManager) {
          resolve(window.jupyterapp);
        } else {
          setTimeout(wait, 100);
        }
      })();
    });
  }

  function say(text) {  // one line at the bottom of the page (course-storage.js draws it)
    state.message = text;
    window.courseNotes.show("course-work-note", text, "OK, close this note about your work");
  }

  function failed(what, error) {
    var text = (error && error.message) || String(error);
    state.errors.push(what + ": " + text);
    say("Sorry, " + what + " did not work (" + text + "). Your files are unchanged.");
  }

  // ---- what the student changed: the records of JupyterLite's own store -------------------
  function localModels() {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DATABASE);
      var fresh = false;
      opening.onupgradeneeded = function () {  // no storage yet: leave creating it to JupyterLite
        fresh = true;
        opening.transaction.abort();
      };
      opening.onerror = function () {
        if (fresh) {
          resolve([]);
        } else {
          reject(opening.error);
        }
      };
      opening.onsuccess = function () {
        var db = opening.result;
        if (!db.objectStoreNames.contains("files")) {
          db.close();
          resolve([]);
          return;
        }
        var request = db.transaction("files", "readonly").objectStore("files").getAll();
        request.onsuccess = function () {
          db.close();
          resolve(request.result.filter(function (m) { return m && typeof m.path === "string" && m.type !== "directory"; }));
        };
        request.onerror = function () {
          db.close();
          reject(request.error);
        };
      };
    });
  }

  function bytesOf(model) {
    if (model.format === "json" || (model.content !== null && typeof model.content === "object")) {
      return encoder.encode(JSON.stringify(model.content, null, 1) + "\n");
    }
    if (model.format === "base64") {
      var text = atob(model.content || "");
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) {
        bytes[i] = text.charCodeAt(i);
      }
      return bytes;
    }
    return encoder.encode(String(model.content === null || model.content === undefined ? "" : model.content));
  }

  function manifest() {
    return fetch(ROOT + "course-site.json", {cache: "no-cache"}).then(function (response) {
      if (!response.ok) {
        throw new Error("course-site.json: " + response.status);
      }
      return response.json();
    });
  }

  // ---- File > Download All My Work ------------------------------------------------------------
  async function downloadAll() {
    var lab = await app();
    await lab.commands.execute("docmanager:save-all");  // what is open and changed counts too
    await flush();
    var models = await localModels();
    var files = {};
    var names = [];
    models.forEach(function (model) {
      if (model.content === null || model.content === undefined) {
        return;
      }
      files[model.path] = bytesOf(model);
      if (model.path !== LOG) {
        names.push(model.path);
      }
    });
    var site = await manifest().catch(function () { return {site: null}; });
    files["course-work.json"] = encoder.encode(JSON.stringify({
      kind: "course-work", version: 1, site: site.site, saved: new Date().toISOString(),
      files: names.sort(), log: files[LOG] ? LOG : null
    }, null, 1) + "\n");
    var zipped = window.fflate.zipSync(files, {level: 6});
    var name = "course-work-" + today() + ".zip";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([zipped], {type: "application/zip"}));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    state.downloaded = {name: name, files: Object.keys(files).sort()};
    say(names.length ?
      "Your work is in " + name + ": " + names.length + " changed file" + (names.length > 1 ? "s" : "") +
        (files[LOG] ? " and your answers' log" : "") + ". Keep it, or hand it in." :
      "You have not changed any notebook yet: " + name + " holds no work.");
  }

  // ---- File > Restore the Original of This Notebook --------------------------------------------
  function currentPath(lab) {
    var widget = lab.shell.currentWidget;
    return widget && widget.context && typeof widget.context.path === "string" ? widget.context.path : null;
  }

  function openWidgets(lab, path) {
    return Array.from(lab.shell.widgets("main")).filter(function (w) { return w.context && w.context.path === path; });
  }

  async function freeName(lab, wanted) {
    var parts = split(wanted);
    var candidate = wanted;
    for (var n = 2; ; n++) {
      var taken = await lab.serviceManager.contents.get(candidate, {content: false}).then(
        function () { return true; }, function () { return false; });
      if (!taken) {
        return candidate;
      }
      candidate = parts[0] + parts[1] + " " + n + parts[2];
    }
  }

  async function restoreOriginal(path) {
    var lab = await app();
    path = path || currentPath(lab);
    if (!path) {
      say("Open the notebook you want back as it was, then choose File > Restore the Original of This Notebook.");
      return;
    }
    var name = split(path)[1] + split(path)[2];
    var mine = (await localModels()).some(function (m) { return m.path === path; });
    if (!mine) {
      say(name + " is already the course's original: you have not changed it.");
      return;
    }
    var original = await fetch(fileUrl(path), {method: "HEAD", cache: "no-cache"}).then(
      function (r) { return r.ok; }, function () { return false; });
    if (!original) {
      say(name + " is a file you made: the course has no original of it to restore.");
      return;
    }
    var widgets = openWidgets(lab, path);
    for (var i = 0; i < widgets.length; i++) {
      if (widgets[i].context.model.dirty) {
        await widgets[i].context.save();  // the copy keeps the latest edits too
      }
    }
    var contents = lab.serviceManager.contents;
    var model = await contents.get(path, {content: true});
    var parts = split(path);
    var copy = await freeName(lab, parts[0] + parts[1] + " (my copy " + minute() + ")" + parts[2]);
    await contents.save(copy, {type: model.type, format: model.format, content: model.content});
    await contents.delete(path);  // the student's copy goes; the site's own shows again
    for (var j = 0; j < widgets.length; j++) {
      await widgets[j].context.revert();
    }
    state.restored.push({path: path, copy: copy});
    say("The original of " + name + " is back. Your version is kept as \u201c" + copy + "\u201d.");
  }

  // ---- the attempt log -------------------------------------------------------------------------
  var waiting = [];
  var queue = Promise.resolve();

  function locked(work) {
    return navigator.locks && navigator.locks.request ? navigator.locks.request("course-attempt-log", work) : work();
  }

  async function append() {
    if (!waiting.length) {
      return;
    }
    var lines = waiting;
    waiting = [];
    var contents = (await app()).serviceManager.contents;
    var text = await contents.get(LOG, {content: true, type: "file", format: "text"}).then(
      function (model) { return model.content || ""; }, function () { return ""; });
    var have = new Set(text.split("\n"));
    var fresh = lines.filter(function (line) { return !have.has(line); });
    if (fresh.length) {
      if (text && text.slice(-1) !== "\n") {
        text += "\n";
      }
      await contents.save(LOG, {type: "file", format: "text", content: text + fresh.join("\n") + "\n"});
      state.logged += fresh.length;
    }
    state.pending -= lines.length;
  }

  function flush() {
    var job = function () { return locked(append); };
    queue = queue.then(job, job).catch(function (error) { failed("keeping your answers' log", error); });
    return queue;
  }

  function listen() {
    if (typeof BroadcastChannel !== "function") {
      return;
    }
    var channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = function (event) {
      if (typeof event.data !== "string" || event.data.indexOf("\n") >= 0) {
        return;
      }
      waiting.push(event.data);
      state.pending += 1;
      setTimeout(flush, 50);  // a Run All judges many answers at once: one write for them all
    };
  }

  // ---- a new version of the site ---------------------------------------------------------------
  async function keepTheirs() {
    var now = await manifest();
    var before = null;
    try {
      before = JSON.parse(window.localStorage.getItem(SEEN) || "null");
    } catch (error) {
      before = null;
    }
    if (before && before.site !== now.site && before.files) {
      var lab = await app();
      var mine = new Set((await localModels()).map(function (m) { return m.path; }));
      var changed = Object.keys(now.files).filter(function (path) {
        return mine.has(path) && before.files[path] && before.files[path] !== now.files[path];
      });
      for (var i = 0; i < changed.length; i++) {
        var path = changed[i];
        var response = await fetch(fileUrl(path), {cache: "no-cache"});
        if (!response.ok) {
          continue;
        }
        var parts = split(path);
        var beside = await freeName(lab, parts[0] + parts[1] + " (new version " + today() + ")" + parts[2]);
        var model = parts[2] === ".ipynb" ?
          {type: "notebook", format: "json", content: await response.json()} :
          {type: "file", format: "text", content: await response.text()};
        await lab.serviceManager.contents.save(beside, model);
        state.updated.push({path: path, beside: beside});
      }
      if (state.updated.length) {
        say("This course has a new version. " + (state.updated.length === 1 ? "A notebook you changed has" :
          state.updated.length + " notebooks you changed have") + " a new version: yours " +
          (state.updated.length === 1 ? "is" : "are") + " kept as " + (state.updated.length === 1 ? "it was" : "they were") +
          ", and the new version is beside it: " +
          state.updated.map(function (u) { return "\u201c" + u.beside + "\u201d"; }).join(", ") + ".");
      }
    }
    try {
      window.localStorage.setItem(SEEN, JSON.stringify({site: now.site, files: now.files}));
    } catch (error) { /* private mode: nothing to compare with next time */ }
  }

  // ---- the File menu ---------------------------------------------------------------------------
  function addCommands(lab) {
    lab.commands.addCommand("course:download-all-work", {
      label: "Download All My Work (zip)",
      caption: "A zip of every notebook you changed and the log of your answers: keep it, or hand it in",
      execute: function () { return downloadAll().catch(function (e) { failed("downloading your work", e); }); }
    });
    lab.commands.addCommand("course:restore-original", {
      label: "Restore the Original of This Notebook",
      caption: "The course's own version back; yours is kept beside it under a dated name",
      isEnabled: function () { return !!currentPath(lab); },
      execute: function (args) {
        return restoreOriginal(args && args.path).catch(function (e) { failed("restoring the original", e); });
      }
    });
    var menu = Array.from(lab.shell.widgets("menu")).find(function (w) { return w.fileMenu; });
    if (menu) {
      menu.fileMenu.addGroup([{command: "course:download-all-work"}, {command: "course:restore-original"}], 2);
    }
  }

  async function start() {
    listen();  // first: an answer judged while the page loads is not missed
    var lab = await app();
    await lab.restored;
    addCommands(lab);
    await keepTheirs().catch(function (e) { failed("checking for a new version of the course", e); });
    state.ready = true;
  }

  window.courseWork.downloadAll = downloadAll;
  window.courseWork.restoreOriginal = restoreOriginal;
  start();
})();
