"""The import graph, read from the source (imports inside functions included): no cycle between files or apps,
and the layers of STYLE.md hold (the domain apps never import a channel app)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "partner_support",
    "outbox",
    "accounts",
    "billing",
    "tickets",
    "integrations",
    "notifications",
    "inbound",
    "staff",
    "documents",
]
# Each domain layer may import only the layers before it (and the project's base, partner_support).
DOMAIN_LAYERS = ["audit", "outbox", "idempotency", "accounts", "billing", "tickets", "documents"]
CHANNELS = {"notifications", "integrations", "inbound", "health", "staff"}
# The root URL configuration puts every app's pages together: it is allowed to import them all.
COMPOSITION_ROOT = {"partner_support/urls.py", "partner_support/api_urls.py"}


def module_files() -> dict[str, Path]:
    files = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


def imported_modules(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imported_modules(path, name, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def app_of(module: str) -> str:
    return module.split(".")[0]


def test_no_file_imports_itself_back_through_others():
    assert cycles(graph()) == []


def test_no_app_imports_itself_back_through_others():
    edges: dict[str, set[str]] = {}
    modules = module_files()
    for module, targets in graph().items():
        if str(modules[module].relative_to(ROOT)) in COMPOSITION_ROOT:
            continue
        edges.setdefault(app_of(module), set()).update(app_of(t) for t in targets if app_of(t) != app_of(module))
    assert cycles(edges) == []


def test_domain_apps_import_only_the_layers_below_them():
    wrong = []
    modules = module_files()
    for module, targets in graph().items():
        app = app_of(module)
        if str(modules[module].relative_to(ROOT)) in COMPOSITION_ROOT:
            continue
        allowed = {"partner_support", app}
        if app in DOMAIN_LAYERS:
            allowed |= set(DOMAIN_LAYERS[: DOMAIN_LAYERS.index(app)])
        elif app != "partner_support":
            continue
        wrong += [f"{module} -> {target}" for target in sorted(targets) if app_of(target) not in allowed]
    assert wrong == []


def test_the_checks_see_a_cycle_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    edges = graph()
    assert "billing.services.ledger" in edges["tickets.services.filing"] or any(
        t.startswith("billing") for t in edges["tickets.services.filing"]
    )
    assert not CHANNELS & {app_of(t) for m, ts in edges.items() if app_of(m) in DOMAIN_LAYERS for t in ts}
