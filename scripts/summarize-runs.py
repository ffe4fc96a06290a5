#!/usr/bin/env python3
"""Prints the tables of docs/models.md from the run folders that scripts/full-runs.sh wrote (runs/<name>/*.jsonl).

    python3 scripts/summarize-runs.py [runs]
"""
import json, os, sys

root = sys.argv[1] if len(sys.argv) > 1 else "runs"

def lines(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]

print("| run | epochs / steps | final | best | time per epoch (or step) | backend |")
print("| --- | --- | --- | --- | --- | --- |")
for name in sorted(os.listdir(root)):
    metrics = os.path.join(root, name, "metrics.jsonl")
    if not os.path.isfile(metrics):
        continue
    rows = lines(metrics)
    if not rows:
        continue
    last = rows[-1]
    if "test_accuracy" in last:
        best = max(r["test_accuracy"] for r in rows)
        per = sorted(r["seconds"] for r in rows)[len(rows) // 2]
        print(f"| {name} | {last['epoch']} epochs | {last['test_accuracy']:.2%} test accuracy | {best:.2%} | {per:.0f} s "
              f"({sorted(r['ms_per_step'] for r in rows)[len(rows) // 2]:.1f} ms/step) | {last['backend']} |")
    else:
        best = min(r["validation_loss"] for r in rows)
        print(f"| {name} | {last['step']} steps | {last['validation_loss']:.3f} validation loss | {best:.3f} | "
              f"{last['seconds'] * 1000 / last['step']:.0f} ms/step | {last['backend']} |")

print()
print("Gradient norms per layer (median over the measured steps of the first epoch's first 500 steps):")
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name, "gradient-norms.jsonl")
    if not os.path.isfile(path) or not name.startswith(("resnet", "plain")):
        continue
    rows = [r for r in lines(path) if r["step"] <= 500]
    if not rows:
        continue
    layers = rows[0]["layers"]
    medians = [sorted(r["norms"][i] for r in rows)[len(rows) // 2] for i in range(len(layers))]
    print(f"{name}: " + ", ".join(f"{l} {m:.3g}" for l, m in zip(layers, medians)))
