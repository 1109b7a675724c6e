"""A small writer of KoboToolbox exports, for tests: given an XLSForm (our own, from
`imports.xlsform.build_xlsform`) and submissions as KoboToolbox's API serves them, it writes the file
a KoboToolbox server would, in any of the styles its export dialog offers — following the header and
value conventions of KoboToolbox's export library (formpack):

- `lang`: None for XML names, or a form language ("Español (es)", "English (en)") for labels;
- `groups`: group names or labels before the question's (formpack's `hierarchy_in_labels`), joined by
  `sep` (any string: "/", ".", ":"…);
- `multiple`: "summary" (one column, answers joined by spaces), "details" (one column per choice,
  "1"/"0", header "<question><sep><choice>") or "both";
- `hxl`: the HXL hashtag row under the header;
- `fmt`: "csv" (";" between cells, every cell quoted, the main table only: CSV drops repeat groups),
  "xlsx" (one sheet per repeat group, linked by `_index` / `_parent_index`) or "json" (the API v2 data
  endpoint's page).
"""

import csv
import io
import json

from openpyxl import Workbook

COPY_FIELDS = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status"]
COPY_FIELDS += ["_submitted_by", "__version__", "_tags"]
META_TYPES = {"start", "end", "today", "deviceid"}


class Form:
    def __init__(self, xlsform: dict):
        self.choices: dict[str, list[dict]] = {}
        for choice in xlsform["choices"]:
            self.choices.setdefault(choice["list_name"], []).append(choice)
        self.title = xlsform["settings"][0]["form_title"]
        self.version = xlsform["settings"][0]["version"]
        self.main: list[dict] = []
        self.repeats: dict[str, list[dict]] = {}
        stack: list[dict] = []
        for row in xlsform["survey"]:
            kind = row["type"]
            if kind in ("begin_group", "begin_repeat"):
                stack.append(row)
            elif kind in ("end_group", "end_repeat"):
                stack.pop()
            else:
                repeat = next((g for g in reversed(stack) if g["type"] == "begin_repeat"), None)
                question = {
                    **row,
                    "hierarchy": list(stack),
                    "path": "/".join([*(g["name"] for g in stack), row["name"]]),
                }
                if repeat is None:
                    self.main.append(question)
                else:
                    self.repeats.setdefault(repeat["name"], []).append(question)
                    self.repeat_rows = repeat

    def label(self, item: dict, lang) -> str:
        return item["name"] if lang is None else (item.get(f"label::{lang}") or item["name"])

    def header(self, question: dict, lang, groups: bool, sep: str) -> str:
        if question["type"] in META_TYPES:
            return question["name"]
        parts = [self.label(g, lang) for g in question["hierarchy"]] if groups else []
        return sep.join([*parts, self.label(question, lang)])

    def options(self, question: dict) -> list[dict]:
        kind, _, list_name = question["type"].partition(" ")
        return self.choices.get(list_name, []) if kind.startswith("select") else []


def _columns(form: Form, questions: list[dict], lang, groups, sep, multiple) -> list[tuple[str, dict, str]]:
    """(header, question, choice name or "") for each column, in order."""
    columns = []
    for question in questions:
        header = form.header(question, lang, groups, sep)
        if question["type"].startswith("select_multiple"):
            if multiple in ("summary", "both"):
                columns.append((header, question, ""))
            if multiple in ("details", "both"):
                for option in form.options(question):
                    columns.append(
                        (f"{header}{sep or '/'}{form.label(option, lang)}", question, option["name"])
                    )
        else:
            columns.append((header, question, ""))
    return columns


def _value(form: Form, question: dict, choice: str, raw, lang) -> str:
    if raw is None:
        return ""
    raw = str(raw)
    kind = question["type"]
    options = {o["name"]: o for o in form.options(question)}
    if kind.startswith("select_multiple"):
        if choice:
            return "1" if choice in raw.split() else "0"
        return " ".join(form.label(options[v], lang) if v in options else v for v in raw.split())
    if kind.startswith("select_one"):
        return form.label(options[raw], lang) if raw in options else raw
    return raw


def export(
    xlsform: dict,
    submissions: list[dict],
    *,
    lang=None,
    groups=True,
    sep="/",
    multiple="summary",
    hxl=False,
    fmt="xlsx",
) -> tuple[str, bytes]:
    form = Form(xlsform)
    if fmt == "json":
        page = {"count": len(submissions), "next": None, "previous": None, "results": submissions}
        return "data.json", json.dumps(page, ensure_ascii=False).encode()
    main_columns = _columns(form, form.main, lang, groups, sep, multiple)
    header = [h for h, _q, _c in main_columns] + COPY_FIELDS + (["_index"] if form.repeats else [])
    tags = [q.get("hxl", "") if not c else "" for _h, q, c in main_columns] + [""] * (
        len(header) - len(main_columns)
    )
    rows = []
    repeat_tables: dict[str, list[list]] = {name: [] for name in form.repeats}
    for index, submission in enumerate(submissions, start=1):
        row = [_value(form, q, c, submission.get(q["path"]), lang) for _h, q, c in main_columns]
        row += [
            submission.get(name, "") if not isinstance(submission.get(name), (dict, list)) else ""
            for name in COPY_FIELDS
        ]
        if form.repeats:
            row.append(index)
        rows.append(row)
        for name, questions in form.repeats.items():
            columns = _columns(form, questions, lang, groups, sep, multiple)
            for entry in submission.get(name, []):
                repeat_tables[name].append(
                    [_value(form, q, c, entry.get(q["path"]), lang) for _h, q, c in columns]
                    + [
                        len(repeat_tables[name]) + 1,
                        form.title[:31],
                        index,
                        submission.get("_id", ""),
                        submission.get("_uuid", ""),
                    ]
                )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        if hxl:
            writer.writerow(tags)
        writer.writerows(rows)
        return "export.csv", out.getvalue().encode()
    book = Workbook()
    sheet = book.active
    sheet.title = form.title[:28] + "..." if len(form.title) > 31 else form.title
    sheet.append(header)
    if hxl:
        sheet.append(tags)
    for row in rows:
        sheet.append(row)
    for name, questions in form.repeats.items():
        columns = _columns(form, questions, lang, groups, sep, multiple)
        repeat = book.create_sheet(name[:31])
        repeat.append(
            [h for h, _q, _c in columns]
            + ["_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid"]
        )
        if hxl:
            repeat.append([q.get("hxl", "") if not c else "" for _h, q, c in columns] + [""] * 5)
        for row in repeat_tables[name]:
            repeat.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return "export.xlsx", buffer.getvalue()
