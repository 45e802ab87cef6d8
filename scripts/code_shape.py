"""The shape of the extraction code, printed for the lead and for issue 13's targets:

    .venv/bin/python scripts/code_shape.py [--top 10]

  * the longest functions in loaders/ (target: none over 60 lines), and every one over;
  * the longest modules in loaders/ (target: none over 500 lines), and every one over;
  * the rules in datasets/reference/rules.yaml (indicator_rules) without an `examples:`
    list (target 0): a rule is a name, a pattern and a production with an example beside it.

Lines are counted from a definition's first line (decorators included) to its last.
Exit 0 always: this reports, the tests judge.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LOADERS = ROOT / "loaders"
RULES = ROOT / "datasets" / "reference" / "rules.yaml"
FUNCTION_MAX = 60
MODULE_MAX = 500


def functions(path: Path) -> list[tuple[int, str]]:
    """(lines, qualified name) of every function and method in a module."""
    tree = ast.parse(path.read_text("utf-8"))
    out: list[tuple[int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                out.append((child.end_lineno - first + 1, f"{prefix}{child.name}"))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return out


def rules_without_examples(path: Path = RULES) -> tuple[int, int, list[str]]:
    """(rules, rules without examples, their ids)."""
    rules = (yaml.safe_load(path.read_text("utf-8")) or {}).get("indicator_rules") or []
    missing = [str(r.get("id")) for r in rules if not r.get("examples")]
    return len(rules), len(missing), missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    modules = sorted(LOADERS.rglob("*.py"))
    sizes = sorted(((len(p.read_text("utf-8").splitlines()), p.relative_to(ROOT)) for p in modules), reverse=True)
    funcs = sorted(((n, f"{p.relative_to(ROOT)}:{name}") for p in modules for n, name in functions(p)), reverse=True)
    print(f"longest function: {funcs[0][1]} ({funcs[0][0]} lines; target <= {FUNCTION_MAX})")
    print(f"longest module:   {sizes[0][1]} ({sizes[0][0]} lines; target <= {MODULE_MAX})")
    over_f = [f for f in funcs if f[0] > FUNCTION_MAX]
    over_m = [m for m in sizes if m[0] > MODULE_MAX]
    print(f"functions over {FUNCTION_MAX} lines: {len(over_f)} of {len(funcs)}")
    for n, name in over_f[: max(args.top, 0)]:
        print(f"  {n:>5}  {name}")
    print(f"modules over {MODULE_MAX} lines: {len(over_m)} of {len(sizes)}")
    for n, name in over_m:
        print(f"  {n:>5}  {name}")
    total, missing, _ = rules_without_examples()
    print(f"rules without an example: {missing} of {total} indicator_rules in {RULES.relative_to(ROOT)} (target 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
