"""``geo edit``: a local editor of the table in the browser, for editors without a command line.

- :mod:`geo.editor.fields`: the form, made from the schema (pure);
- :mod:`geo.editor.document`: the table read, a draft checked by the validate stage, saved in the
  file's own form through the one writer, conflicts found and rebased (pure but for reading and
  the save);
- :mod:`geo.editor.app`: each request's answer, behind one gate (token, Host, Origin);
- :mod:`geo.editor.server`: the standard library's HTTP server on 127.0.0.1, in a thread;
- ``templates/page.html``, ``static/editor.js``, ``static/editor.css``: the page.

See ``docs/editor.md``.
"""
