/**
 * With a test split the report ranks on the test figure of the epoch
 * validation chose (runs.csv best_test_acc), says so, and shows it; a folder
 * without test columns keeps the validation ranking.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDocument, loadResults } from "../../src/report/index.js";
import { writeSyntheticResults } from "../fixtures/report/synthetic-results.js";

/** Test accuracy per activation chosen to reverse the validation order (relu/leaky_relu best on validation). */
const TEST_ACC: Record<string, number> = { relu: 0.7, "leaky_relu(alpha=0.2)": 0.72, tanh: 0.8, sigmoid: 0.85 };

/** Adds best_test_acc (and test_acc) to runs.csv: TEST_ACC of the activation plus seed / 1000. */
function addTestColumns(dir: string): void {
  const path = join(dir, "runs.csv");
  const [head, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  const cols = head.split(",");
  const at = cols.indexOf("activation");
  const seedAt = cols.indexOf("seed");
  const statusAt = cols.indexOf("status");
  const rows = lines.map((l) => {
    const c = l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((s) => s.replace(/,$/, ""));
    const ok = c[statusAt] !== "failed";
    const acc = TEST_ACC[c[at].replace(/"/g, "")] + Number(c[seedAt]) / 1000;
    return [...c.slice(0, cols.length), ok ? String(acc - 0.01) : "", ok ? String(acc) : ""].join(",");
  });
  writeFileSync(path, [[...cols, "test_acc", "best_test_acc"].join(","), ...rows].join("\n") + "\n");
}

describe("ranking with a test split", () => {
  it("ranks on best_test_acc, validation having chosen the epoch, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "actbench-test-rank-"));
    writeSyntheticResults(dir, { seeds: 3 });
    const before = await buildDocument(loadResults(dir), { measureCost: false });
    expect(before.board.primary).toBe("val_acc");
    expect(before.board.rows[0].group.activation).not.toBe("sigmoid");

    addTestColumns(dir);
    const doc = await buildDocument(loadResults(dir), { measureCost: false });
    expect(doc.board.primary).toBe("best_test_acc");
    expect(doc.board.rows.map((r) => r.group.activation)).toEqual(["sigmoid", "tanh", "leaky_relu(alpha=0.2)", "relu"]);
    const sigmoid = doc.board.rows[0];
    expect(sigmoid.test!.mean).toBeCloseTo(0.85 + (0 + 1 + 2) / 3000, 12);
    expect(doc.leaderboardNotes.join(" ")).toContain("Ranked on the test split, which nothing in training saw: validation chose each run's epoch");
    expect(doc.leaderboardNotes.join(" ")).toContain("Sorted by test accuracy at the epoch validation chose (higher is better)");
    const table = doc.sections[0].leaderboard;
    expect(table.header[3]).toBe("test acc (best val epoch)");
    expect(table.rows[0][3]).toMatch(/^0\.851 ± /);
  });
});
