# SPDX-License-Identifier: Apache-2.0
"""``ruimte vocab``: list the vocabulary's functions or explain how two functions relate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import click

from ruimte.vocab import Function, Relation, Vocabulary, load_vocabulary
from ruimte.vocab.model import Lang

#: Name of the workspace file that extends or overrides the packaged vocabulary.
WORKSPACE_VOCABULARY = "vocabulary.yaml"


def _load(workspace: Path | None) -> Vocabulary:
    if workspace is not None:
        override = workspace / WORKSPACE_VOCABULARY
        if override.is_file():
            return load_vocabulary(override=override)
    return load_vocabulary()


def _space_use(fn: Function) -> str:
    if fn.space_use_value is None:
        return ""
    mark = " *" if fn.provisional else ""
    return f"{fn.space_use_value:g} {fn.space_use_unit}{mark}"


def _function_json(fn: Function, vocab: Vocabulary, lang: Lang) -> dict[str, Any]:
    source = vocab.source(fn.space_use_source)
    return {
        "id": fn.id,
        "label": fn.label(lang),
        "layer": fn.layer,
        "transition": fn.transition,
        "esdl_class": fn.esdl_class,
        "space_use_value": fn.space_use_value,
        "space_use_unit": fn.space_use_unit,
        "space_use_source": source.id if source else None,
        "provisional": fn.provisional,
        "geometry": fn.geometry,
        "colour": fn.colour,
    }


def _relation_json(rel: Relation) -> dict[str, Any]:
    src = rel.source
    return {
        "function_a": rel.a,
        "function_b": rel.b,
        "relation": rel.relation,
        "min_distance_m": rel.min_distance_m,
        "condition": rel.condition or None,
        "source": None
        if src is None
        else {
            "id": src.id,
            "title": src.title,
            "url": src.url or None,
            "year": src.year,
        },
        "provisional": rel.provisional,
        "note": rel.note or None,
    }


def _echo_functions(vocab: Vocabulary, lang: Lang) -> None:
    click.echo(
        f"Vocabulary {vocab.version}: {len(vocab.functions)} functions "
        f"(* = provisional number, to be confirmed)"
    )
    headers = ("id", "label", "transition", "space use", "ESDL class")
    for layer_id, functions in vocab.functions_by_layer().items():
        layer = vocab.layers[layer_id]
        rows = [
            (
                f.id,
                f.label(lang),
                vocab.transitions[f.transition].label(lang),
                _space_use(f),
                f.esdl_class or "",
            )
            for f in functions
        ]
        widths = [
            max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
            for i, h in enumerate(headers)
        ]
        click.echo("")
        click.secho(f"{layer.label(lang)} ({layer_id})", bold=True)
        click.echo(
            "  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
        )
        for row in rows:
            click.echo(
                "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )


def _echo_relation(vocab: Vocabulary, rel: Relation, pair: tuple[str, str], lang: Lang) -> None:
    a, b = vocab.function(pair[0]), vocab.function(pair[1])
    click.echo(f"{a.id} ({a.label(lang)}) + {b.id} ({b.label(lang)})")
    click.echo(f"  relation:     {rel.relation}")
    if rel.min_distance_m is not None:
        click.echo(f"  min distance: {rel.min_distance_m:g} m")
    if rel.condition:
        click.echo(f"  condition:    {rel.condition}")
    if rel.source is not None:
        year = f" ({rel.source.year})" if rel.source.year else ""
        click.echo(f"  source:       {rel.source.title}{year}")
        if rel.source.url:
            click.echo(f"                {rel.source.url}")
    else:
        click.echo("  source:       none")
    click.echo(f"  provisional:  {'yes, to be confirmed' if rel.provisional else 'no'}")
    if rel.note:
        click.echo(f"  note:         {rel.note}")
    click.echo(f"  vocabulary:   {vocab.version}")


@click.command("vocab")
@click.option(
    "--workspace",
    "-w",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Workspace folder; its vocabulary.yaml extends the packaged vocabulary.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="en",
    show_default=True,
    help="Language of the labels.",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option(
    "--compat",
    nargs=2,
    metavar="A B",
    default=None,
    help="Explain the relation between functions A and B.",
)
def vocab_cmd(
    workspace: Path | None, lang: str, as_json: bool, compat: tuple[str, str] | None
) -> None:
    """List the functions of the common vocabulary, grouped by layer.

    With --compat A B, explain how two functions relate: exclusive, shared
    (and on what condition), distance (how far, according to whom), synergy
    or neutral.
    """
    vocab = _load(workspace)
    language = cast(Lang, lang)
    if compat:
        rel = vocab.relation(*compat)  # UnknownFunctionError -> exit code 2 in main
        if as_json:
            click.echo(
                json.dumps(
                    {"version": vocab.version, **_relation_json(rel)}, ensure_ascii=False, indent=2
                )
            )
        else:
            _echo_relation(vocab, rel, compat, language)
        return
    if as_json:
        payload = {
            "version": vocab.version,
            "layers": {
                layer: [_function_json(f, vocab, language) for f in fns]
                for layer, fns in vocab.functions_by_layer().items()
            },
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _echo_functions(vocab, language)
