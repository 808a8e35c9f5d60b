import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CsvError, parseCsv, parseInventoryCsv } from "../../../src/core/csv-import.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/inventory/${name}`, import.meta.url), "utf8");

function csvError(run: () => unknown): CsvError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CsvError);
    return err as CsvError;
  }
  throw new Error("expected a CsvError");
}

describe("parseCsv (RFC 4180)", () => {
  it("splits plain fields and records on CRLF, LF and a lone CR", () => {
    expect(parseCsv("a,b\r\nc,d\ne,f\rg,h").map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "f"],
      ["g", "h"],
    ]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks, and numbers records by their first line", () => {
    const records = parseCsv('x,"a, b","say ""hi"""\r\n"multi\r\nline",2,""\r\nlast,3,z\r\n');
    expect(records).toEqual([
      { line: 1, fields: ["x", "a, b", 'say "hi"'] },
      { line: 2, fields: ["multi\r\nline", "2", ""] },
      { line: 4, fields: ["last", "3", "z"] },
    ]);
  });

  it("keeps empty fields, including a trailing one, and skips blank lines without shifting line numbers", () => {
    expect(parseCsv("a,,c,\n\n\nd,e,f,g\n")).toEqual([
      { line: 1, fields: ["a", "", "c", ""] },
      { line: 4, fields: ["d", "e", "f", "g"] },
    ]);
  });

  it("drops a byte order mark and reads a last record with no line break", () => {
    expect(parseCsv("\uFEFFserial,pid\nA1,C1").map((r) => r.fields)).toEqual([
      ["serial", "pid"],
      ["A1", "C1"],
    ]);
  });

  it("a record that is only an empty quoted field is a record, not a blank line", () => {
    expect(parseCsv('a\n""\nb').map((r) => r.fields)).toEqual([["a"], [""], ["b"]]);
  });

  it("refuses an unterminated quote, naming the line it opened on", () => {
    const err = csvError(() => parseCsv('a,b\nc,"open\nstill open\n'));
    expect(err.code).toBe("CSV_INVALID");
    expect(err.message).toContain("line 2");
    expect(err.message).toContain("never closed");
  });

  it("refuses a quote inside an unquoted field and text after a closing quote", () => {
    expect(csvError(() => parseCsv('a,b"c\n')).message).toMatch(/line 1: a quote inside an unquoted field/);
    expect(csvError(() => parseCsv('a\n"b"c,d\n')).message).toMatch(/line 2: text after the closing quote/);
  });
});

describe("parseInventoryCsv", () => {
  it("reads the good fixture: CRLF, quoted JSON variables, k=v variables, MAC forms, tags by ; and space", () => {
    const { accepted, rejected } = parseInventoryCsv(fixture("good.csv"));
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([
      {
        row: 2,
        serial: "FOC1234X0AB",
        pid: "C9300-24T",
        location: "emea/fr/par1",
        tags: ["access", "core"],
        variables: { vlan: 10, mgmt: { ip: "10.0.0.1" } },
        hostname: "par1-sw1",
        mac: "00:1a:2b:3c:4d:5e",
        vid: "V01",
      },
      {
        row: 3,
        serial: "FOC1234X0AC",
        pid: "ISR4451-X/K9",
        location: "emea/fr/par2",
        tags: ["edge", "wan"],
        variables: { site: "par2", asn: "65001" },
        hostname: "par2-rtr1",
        mac: "00:1a:2b:3c:4d:5f",
        vid: "",
      },
      {
        row: 4,
        serial: "JAE98765432",
        pid: "C9300-48P",
        location: "emea/de/fra1",
        tags: ["core"],
        variables: { note: "has, a comma", quote: 'say "hi"' },
        hostname: "fra1-sw1",
        mac: "",
        vid: "V02",
      },
      {
        row: 6,
        serial: "FDO11112222",
        pid: "CISCO2901/K9",
        location: "amer/us/nyc1",
        tags: [],
        variables: {},
        hostname: "",
        mac: "",
        vid: "",
      },
    ]);
  });

  it("rejects each bad row with its reason and its line, and every row of a duplicated serial", () => {
    const { accepted, rejected } = parseInventoryCsv(fixture("bad-rows.csv"));
    expect(accepted.map((a) => [a.row, a.serial])).toEqual([[2, "GOOD0001"]]);
    const byRow = new Map(rejected.map((r) => [r.row, r]));
    expect([...byRow.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(byRow.get(3)).toMatchObject({ serial: "BAD-SERIAL" });
    expect(byRow.get(3)!.errors).toEqual(['serial "BAD-SERIAL" must be 1 to 20 letters or digits']);
    expect(byRow.get(4)!.errors).toEqual(["pid is empty"]);
    expect(byRow.get(5)!.errors[0]).toMatch(/^pid "C9300 24T" must be/);
    expect(byRow.get(6)!.errors).toEqual(["serial DUP0001 is also on row 8 (duplicates are all rejected)"]);
    expect(byRow.get(8)!.errors).toEqual(["serial DUP0001 is also on row 6 (duplicates are all rejected)"]);
    expect(byRow.get(7)!.errors[0]).toMatch(/^tag "Bad!Tag" must be/);
    expect(byRow.get(9)!.errors).toEqual(["the row has 2 fields, the header 3"]);
    expect(byRow.get(10)!.errors[0]).toMatch(/TOOLONGSERIAL123456789.*1 to 20/);
  });

  it("collects several problems of one row", () => {
    const { rejected } = parseInventoryCsv("serial,pid,location,mac,hostname\nA1,,emea//fr,zz:zz,-bad-\n");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.errors).toEqual([
      "pid is empty",
      'location "emea//fr" has an empty segment',
      'hostname "-bad-" must be DNS labels of letters, digits and "-"',
      'mac "zz:zz" is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff)',
    ]);
  });

  it("validates variables in both forms", () => {
    const text = [
      "serial,pid,variables",
      'A1,C1,"{""vlan"": 1"',
      'A2,C1,"[1,2]"',
      "A3,C1,novalue",
      "A4,C1,k=1;k=2",
      "A5,C1,1bad=x",
      "A6,C1,k=v=w;;  x = y ",
    ].join("\n");
    const { accepted, rejected } = parseInventoryCsv(text);
    const errors = Object.fromEntries(rejected.map((r) => [r.serial, r.errors.join("; ")]));
    expect(errors.A1).toMatch(/^variables are not valid JSON/);
    expect(errors.A2).toBe("variables must be an object (k=v;k2=v2 or {...})");
    expect(errors.A3).toBe('variable "novalue" is not k=v');
    expect(errors.A4).toBe('variable "k" is given twice');
    expect(errors.A5).toMatch(/^variable name "1bad" must be/);
    expect(accepted).toEqual([{ row: 7, serial: "A6", pid: "C1", variables: { k: "v=w", x: "y" } }]);
  });

  it("takes columns in any order and in any case, and leaves absent optional columns out of the input", () => {
    const { accepted } = parseInventoryCsv(" PID , Serial \nC9300-24T,foc1\n");
    expect(accepted).toEqual([{ row: 2, serial: "FOC1", pid: "C9300-24T" }]);
  });

  it("normalises MAC forms, location slashes and tag case", () => {
    const { accepted, rejected } = parseInventoryCsv(
      [
        "serial,pid,mac,location,tags",
        "A1,C1,AA-BB-CC-DD-EE-FF,/emea/fr/,Core ACCESS;core",
        "A2,C1,aabbccddeeff,emea,",
        "A3,C1,AABB.CCDD.EEFF,emea,",
        "A4,C1,aa:bb-cc:dd:ee:ff,emea,",
      ].join("\r\n"),
    );
    expect(accepted.map((a) => [a.mac, a.location, a.tags])).toEqual([
      ["aa:bb:cc:dd:ee:ff", "emea/fr", ["access", "core"]],
      ["aa:bb:cc:dd:ee:ff", "emea", []],
      ["aa:bb:cc:dd:ee:ff", "emea", []],
    ]);
    expect(rejected.map((r) => r.row)).toEqual([5]);
  });

  it("skips rows of empty cells (as spreadsheets export them)", () => {
    const { accepted, rejected } = parseInventoryCsv("serial,pid,tags\nA1,C1,x\n,,\n , ,\n");
    expect(accepted).toHaveLength(1);
    expect(rejected).toEqual([]);
  });

  it("refuses unknown, repeated and missing columns and an empty file, with clear messages", () => {
    expect(csvError(() => parseInventoryCsv("serial,pid,site,colour\nA,B,C,D\n")).message).toBe(
      'unknown columns "site", "colour" in the header; allowed: serial, pid, location, tags, variables, hostname, mac, vid',
    );
    expect(csvError(() => parseInventoryCsv("serial,pid,tags,Tags\n")).message).toBe(
      'column "tags" appears twice in the header',
    );
    expect(csvError(() => parseInventoryCsv("serial,location\nA,b\n")).message).toBe(
      "the header lacks the required column pid",
    );
    expect(csvError(() => parseInventoryCsv("\r\n\r\n")).message).toMatch(/^the file is empty/);
  });

  it("a header alone is a valid, empty import", () => {
    expect(parseInventoryCsv("serial,pid\r\n")).toEqual({ accepted: [], rejected: [] });
  });
});
