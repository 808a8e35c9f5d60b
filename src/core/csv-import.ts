// Inventory CSV files: a small RFC 4180 reader and the row validation of an import. Pure.
//
// The file has a header; columns come in any order: `serial` and `pid` are required, `location`, `tags`,
// `variables`, `hostname`, `mac` and `vid` are optional; any other column is refused. A column that is
// present sets its field on every row (an empty cell clears it); a column that is absent leaves the field
// as it is in the inventory. `tags` are separated by `;` or spaces; `variables` are `k=v;k2=v2` or a
// JSON object. Rows are numbered by the file line they start on (the header is line 1).

import { PnpError } from "../errors.js";
import {
  type DeviceInput,
  type ImportRow,
  normaliseDeviceInput,
  parseVariables,
  type RejectedRow,
  splitTags,
} from "./inventory.js";

export class CsvError extends PnpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("CSV_INVALID", message, details);
    this.name = "CsvError";
  }
}

export interface CsvRecord {
  /** The line the record starts on (1-based). */
  line: number;
  fields: string[];
}

/**
 * Reads RFC 4180 CSV: fields separated by commas, records by CRLF (LF and CR alone are accepted too),
 * fields in double quotes may hold commas, line breaks and doubled quotes (`""`). A byte order mark is
 * dropped; blank lines are skipped. Throws CsvError (CSV_INVALID) with the line of a quote problem.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = "";
  let quotedRecord = false;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0]!.trim() === "" && !quotedRecord;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    quotedRecord = false;
  };
  while (i < input.length) {
    const c = input[i]!;
    if (c === '"') {
      if (field !== "")
        throw new CsvError(
          `line ${line}: a quote inside an unquoted field (quote the whole field, and double the quote)`,
          {
            line,
          },
        );
      const startLine = line;
      quotedRecord = true;
      i++;
      for (;;) {
        if (i >= input.length)
          throw new CsvError(`line ${startLine}: a quoted field is never closed`, { line: startLine });
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n" || (q === "\r" && input[i + 1] !== "\n")) line++;
        field += q;
        i++;
      }
      const next = input[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n")
        throw new CsvError(`line ${line}: text after the closing quote of a field`, { line });
      if (next === undefined) break;
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && input[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== "" || fields.length > 0 || quotedRecord) endRecord();
  return records;
}

export const REQUIRED_COLUMNS = ["serial", "pid"] as const;
export const OPTIONAL_COLUMNS = ["location", "tags", "variables", "hostname", "mac", "vid"] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

export interface CsvImportResult {
  /** Valid rows, normalised (serial upper case, tags lower case, MAC aa:bb:…), each with its line. */
  accepted: ImportRow[];
  /** Invalid rows with every reason; they are never written. */
  rejected: RejectedRow[];
}

/**
 * Parses and validates an inventory CSV file. File-level problems (no header, unknown, missing or
 * repeated columns, broken quoting) throw CsvError; row-level problems reject that row, with reasons.
 * Serials that appear on more than one row are rejected on every one of those rows.
 */
export function parseInventoryCsv(text: string): CsvImportResult {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header)
    throw new CsvError(`the file is empty; its first line must be a header: ${ALL_COLUMNS.join(",")}`);
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((c) => !ALL_COLUMNS.includes(c));
  if (unknown.length > 0)
    throw new CsvError(
      `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => JSON.stringify(c)).join(", ")} in the header; allowed: ${ALL_COLUMNS.join(", ")}`,
      { unknown },
    );
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0)
    throw new CsvError(`column ${JSON.stringify(repeated[0])} appears twice in the header`, { repeated });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0)
    throw new CsvError(
      `the header lacks the required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
      {
        missing,
      },
    );

  const accepted: ImportRow[] = [];
  const rejected: RejectedRow[] = [];
  const rowsBySerial = new Map<string, number[]>();
  const parsedRows: { row: number; serial: string; input?: ImportRow; errors: string[] }[] = [];

  for (const record of records) {
    // Spreadsheets export empty rows as a line of commas: skip them like blank lines.
    if (record.fields.every((f) => f.trim() === "")) continue;
    const cells = new Map<Column, string>();
    columns.forEach((c, i) => {
      cells.set(c as Column, record.fields[i] ?? "");
    });
    const serialCell = (cells.get("serial") ?? "").trim();
    const errors: string[] = [];
    if (record.fields.length !== columns.length)
      errors.push(`the row has ${record.fields.length} fields, the header ${columns.length}`);
    const input: DeviceInput = { serial: serialCell, pid: cells.get("pid") ?? "" };
    if (cells.has("location")) input.location = cells.get("location")!;
    if (cells.has("tags")) input.tags = splitTags(cells.get("tags")!);
    if (cells.has("variables")) input.variables = parseVariables(cells.get("variables")!, errors);
    if (cells.has("hostname")) input.hostname = cells.get("hostname")!;
    if (cells.has("mac")) input.mac = cells.get("mac")!;
    if (cells.has("vid")) input.vid = cells.get("vid")!;
    const { value, errors: invalid } = normaliseDeviceInput(input, { requirePid: true });
    errors.push(...invalid);
    const { id, ...device } = value;
    parsedRows.push({ row: record.line, serial: serialCell, input: { ...device, row: record.line }, errors });
    if (serialCell !== "") rowsBySerial.set(id, [...(rowsBySerial.get(id) ?? []), record.line]);
  }

  for (const parsed of parsedRows) {
    const rows = rowsBySerial.get(parsed.serial.toLowerCase()) ?? [];
    if (rows.length > 1) {
      const others = rows.filter((r) => r !== parsed.row);
      parsed.errors.push(
        `serial ${parsed.serial.toUpperCase()} is also on row${others.length > 1 ? "s" : ""} ${others.join(", ")} (duplicates are all rejected)`,
      );
    }
    if (parsed.errors.length > 0) {
      const entry: RejectedRow = { row: parsed.row, errors: parsed.errors };
      if (parsed.serial !== "") entry.serial = parsed.serial;
      rejected.push(entry);
    } else accepted.push(parsed.input!);
  }
  return { accepted, rejected };
}
