// Rich-text editing for every <textarea data-richtext>, with Quill 2 (static/vendor/quill, BSD-3-Clause).
//
// Progressive enhancement: without JavaScript the textarea holds the HTML and is submitted as it is (the server
// sanitises every body on save: disclosure/web/richtext.py). With JavaScript the textarea is hidden and a
// WYSIWYG editor takes its place; on submit the editor's HTML is written back into the textarea, so the form posts
// the same field either way.
//
// Works under the app's Content-Security-Policy (script-src 'self'; style-src 'self'): no inline script, no eval,
// no <style> element or style attribute written as markup. Quill positions its link tooltip through element.style
// (the CSS object model), which style-src does not govern.
//
// Keyboard: every toolbar control is a button (or Quill's picker, which opens with Enter and Space); Tab and
// Shift+Tab leave the editor instead of indenting, so the keyboard is never trapped; Ctrl/Cmd+B, I, U, Z and
// Shift+Z work inside it. Button titles and labels follow <html lang> (Chinese or English).
(function () {
  "use strict";
  if (typeof window.Quill === "undefined") return;

  var zh = /^zh/i.test(document.documentElement.lang || "");
  var WORDS = {
    toolbar: ["Formatting", "格式工具栏"],
    header: ["Paragraph style", "段落样式"],
    bold: ["Bold (Ctrl+B)", "加粗（Ctrl+B）"],
    italic: ["Italic (Ctrl+I)", "倾斜（Ctrl+I）"],
    underline: ["Underline (Ctrl+U)", "下划线（Ctrl+U）"],
    strike: ["Strikethrough", "删除线"],
    ordered: ["Numbered list", "编号列表"],
    bullet: ["Bulleted list", "项目符号列表"],
    blockquote: ["Quotation", "引用"],
    link: ["Link", "链接"],
    clean: ["Clear formatting", "清除格式"],
    undo: ["Undo (Ctrl+Z)", "撤销（Ctrl+Z）"],
    redo: ["Redo (Ctrl+Shift+Z)", "重做（Ctrl+Shift+Z）"],
    table: ["Insert a table", "插入表格"],
    row: ["Add a row below", "在下方插入行"],
    column: ["Add a column to the right", "在右侧插入列"],
    deleteRow: ["Delete the row", "删除行"],
    deleteColumn: ["Delete the column", "删除列"],
    deleteTable: ["Delete the table", "删除表格"],
    normal: ["Body text", "正文"],
    h2: ["Heading 2", "二级标题"],
    h3: ["Heading 3", "三级标题"],
    h4: ["Heading 4", "四级标题"],
  };
  function t(key) { return WORDS[key][zh ? 1 : 0]; }

  // Text of our own buttons that Quill has no icon for.
  var SYMBOLS = { undo: "↶", redo: "↷", table: "▦", row: "+行", column: "+列", deleteRow: "−行",
                  deleteColumn: "−列", deleteTable: "✕▦" };
  // A button's visible text is part of its name (WCAG 2.5.3), so English says "Column" whole, not "Col".
  if (!zh) {
    SYMBOLS.row = "+Row"; SYMBOLS.column = "+Column"; SYMBOLS.deleteRow = "−Row"; SYMBOLS.deleteColumn = "−Column";
  }

  function button(className, key, value) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    if (value) b.value = value;
    b.title = t(key);
    b.setAttribute("aria-label", t(key));
    if (SYMBOLS[key]) { b.textContent = SYMBOLS[key]; b.classList.add("richtext-text-button"); }
    return b;
  }

  function group(children) {
    var span = document.createElement("span");
    span.className = "ql-formats";
    children.forEach(function (c) { span.appendChild(c); });
    return span;
  }

  function headerSelect() {
    var select = document.createElement("select");
    select.className = "ql-header";
    select.title = t("header");
    select.setAttribute("aria-label", t("header"));
    [["2", "h2"], ["3", "h3"], ["4", "h4"], ["", "normal"]].forEach(function (pair) {
      var option = document.createElement("option");
      if (pair[0]) option.value = pair[0]; else option.selected = true;
      option.textContent = t(pair[1]);
      select.appendChild(option);
    });
    return select;
  }

  function buildToolbar(withTables) {
    var bar = document.createElement("div");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", t("toolbar"));
    bar.appendChild(group([headerSelect()]));
    bar.appendChild(group([button("ql-bold", "bold"), button("ql-italic", "italic"),
                           button("ql-underline", "underline"), button("ql-strike", "strike")]));
    bar.appendChild(group([button("ql-list", "ordered", "ordered"), button("ql-list", "bullet", "bullet"),
                           button("ql-blockquote", "blockquote")]));
    bar.appendChild(group([button("ql-link", "link"), button("ql-clean", "clean")]));
    if (withTables) {
      bar.appendChild(group([button("ql-table-insert", "table"), button("ql-table-row", "row"),
                             button("ql-table-column", "column"), button("ql-table-delete-row", "deleteRow"),
                             button("ql-table-delete-column", "deleteColumn"),
                             button("ql-table-delete", "deleteTable")]));
    }
    bar.appendChild(group([button("ql-undo", "undo"), button("ql-redo", "redo")]));
    return bar;
  }

  // Quill replaces the paragraph-style <select> with a picker: a <span class="ql-picker"> that receives every
  // attribute of the select (aria-label included, which a span without a role may not carry), holding the button
  // that opens it (.ql-picker-label, role=button, aria-expanded kept by Quill as it opens and closes) with no name,
  // and one button per style whose text is only CSS generated content (no accessible name either). The name moves
  // to the opening button, in the page's language like the other buttons, which also says it opens a popup; each
  // style's button is named by its option's text (already in the page's language: headerSelect).
  function namePickers(bar) {
    Array.prototype.forEach.call(bar.querySelectorAll(".ql-picker"), function (picker) {
      var name = picker.getAttribute("aria-label");
      picker.removeAttribute("aria-label");
      var opener = picker.querySelector(".ql-picker-label");
      if (opener && name) {
        opener.setAttribute("role", "button");
        opener.setAttribute("aria-label", name);
        opener.setAttribute("aria-haspopup", "true");
        if (!opener.hasAttribute("aria-expanded")) opener.setAttribute("aria-expanded", "false");
      }
      Array.prototype.forEach.call(picker.querySelectorAll(".ql-picker-item[data-label]"), function (item) {
        item.setAttribute("aria-label", item.getAttribute("data-label"));
      });
    });
  }

  // Quill's own Tab bindings indent lists and insert tab characters: dropping them lets Tab move the focus on.
  var RELEASE_TAB = { tab: null, indent: null, outdent: null, "indent code-block": null,
                      "outdent code-block": null, "remove tab": null, "table tab": null };

  function enhance(textarea) {
    if (textarea.dataset.richtextReady) return;
    textarea.dataset.richtextReady = "1";
    var withTables = textarea.getAttribute("data-richtext") !== "no-tables";

    var wrapper = document.createElement("div");
    wrapper.className = "richtext-editor";
    var toolbar = buildToolbar(withTables);
    var area = document.createElement("div");
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea.nextSibling);

    var table = null;
    function withTable(action) { return function () { if (table) table[action](); }; }
    var quill = new window.Quill(area, {
      theme: "snow",
      modules: {
        toolbar: {
          container: toolbar,
          handlers: {
            undo: function () { quill.history.undo(); },
            redo: function () { quill.history.redo(); },
            "table-insert": function () { if (table) table.insertTable(3, 3); },
            "table-row": withTable("insertRowBelow"),
            "table-column": withTable("insertColumnRight"),
            "table-delete-row": withTable("deleteRow"),
            "table-delete-column": withTable("deleteColumn"),
            "table-delete": withTable("deleteTable"),
          },
        },
        table: withTables,
        history: { delay: 1000, maxStack: 200, userOnly: true },
        keyboard: { bindings: RELEASE_TAB },
      },
    });
    if (withTables) table = quill.getModule("table");
    namePickers(toolbar);
    if (textarea.value.trim()) quill.clipboard.dangerouslyPasteHTML(textarea.value, "silent");
    quill.history.clear();

    // The label, hint and error that name the textarea now name the editing area.
    var editable = quill.root;
    editable.setAttribute("role", "textbox");
    editable.setAttribute("aria-multiline", "true");
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      if (!label.id) label.id = textarea.id + "-label";
      editable.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function (event) { event.preventDefault(); quill.focus(); });
    }
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (textarea.hasAttribute(name)) editable.setAttribute(name, textarea.getAttribute(name));
    });
    if (textarea.required) editable.setAttribute("aria-required", "true");
    if (textarea.autofocus) quill.focus();
    textarea.hidden = true;
    textarea.required = false;  // the hidden textarea cannot show the browser's message; the server checks

    function sync() {
      textarea.value = quill.getText().trim() || editable.querySelector("img, table") ? quill.getSemanticHTML() : "";
    }
    quill.on("text-change", sync);
    if (textarea.form) textarea.form.addEventListener("submit", sync);
    textarea.richtextEditor = quill;
  }

  function enhanceAll() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-richtext]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhanceAll);
  else enhanceAll();
})();
