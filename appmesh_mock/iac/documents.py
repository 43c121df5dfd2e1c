"""Reading what `load` is given into (where, document, format) triples: a path, a folder
(every file in it; a `cdk.out` folder's stack templates; a folder of `.tf` files is one
Terraform module), a string of JSON, YAML or HCL, or an already parsed document.

YAML is read with PyYAML and HCL with python-hcl2, both in the `iac` extra: loading a YAML or
`.tf` file without them is an error saying what to install. YAML's `!Ref`-style tags are
CloudFormation's short forms, read as the long forms (`!GetAtt a.b` -> `{"Fn::GetAtt":
"a.b"}`, `!Ref x` -> `{"Ref": "x"}`, `!Sub s` -> `{"Fn::Sub": s}`)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..service.state_input import StateError
from .cloudformation import is_template

INSTALL = "pip install 'appmesh-mock[iac]'"
YAML_SUFFIXES = (".yaml", ".yml", ".template")
Document = tuple[str, Any, str]  # (where, parsed document, format)


def detect(document: Any) -> str:
    """The format of one parsed document (state: our document or Describe outputs)."""
    if is_template(document):
        return "cloudformation"
    if isinstance(document, Mapping):
        if "format_version" in document and (
            "values" in document or "planned_values" in document
            or "terraform_version" in document
        ):
            return "terraform"
        if "__hcl__" in document:
            return "terraform"
        if "apiVersion" in document and "kind" in document:
            return "kubernetes"
    if isinstance(document, list) and document and all(
        isinstance(d, Mapping) and "apiVersion" in d and "kind" in d for d in document
    ):
        return "kubernetes"
    return "state"


def is_path(source: Any) -> bool:
    if isinstance(source, os.PathLike):
        return True
    if not isinstance(source, str):
        return False
    stripped = source.strip()
    return "\n" not in stripped and not stripped.startswith(("{", "[")) and ": " not in source


def read(source: Any) -> list[Document]:
    if is_path(source):
        path = Path(source)
        if path.is_dir():
            return _folder(path)
        if not path.exists():
            raise StateError(f"{path}: no such file or folder")
        return _file(path, str(path))
    if isinstance(source, str):
        return _text(source, "the text", None)
    if isinstance(source, bytes):
        return _text(source.decode("utf-8"), "the text", None)
    return [("", source, detect(source))]


def _folder(path: Path) -> list[Document]:
    manifest = path / "manifest.json"
    if manifest.is_file():
        templates = _cdk_templates(path, manifest)
        if templates:
            return templates
    tf = sorted(p for p in path.glob("*.tf") if p.is_file())
    if tf:
        return [(str(path), _hcl(tf, path), "terraform")]
    files = sorted(
        p for p in path.rglob("*")
        if p.is_file() and (p.suffix in (".json", *YAML_SUFFIXES))
    )
    if not files:
        raise StateError(f"{path} holds no .json, .yaml, .yml, .template or .tf file")
    found: list[Document] = []
    for file in files:
        found += _file(file, str(file.relative_to(path)))
    return found


def _cdk_templates(folder: Path, manifest: Path) -> list[Document]:
    """Every stack template a cloud assembly's manifest lists (nested stages included)."""
    try:
        artifacts = json.loads(manifest.read_text("utf-8")).get("artifacts") or {}
    except (ValueError, AttributeError):
        return []
    found: list[Document] = []
    for artifact in artifacts.values():
        properties = artifact.get("properties") or {}
        if artifact.get("type") == "aws:cloudformation:stack" and "templateFile" in properties:
            file = folder / properties["templateFile"]
            found += _file(file, str(file.relative_to(folder)))
        elif artifact.get("type") == "cdk:cloud-assembly" and "directoryName" in properties:
            nested = folder / properties["directoryName"]
            if (nested / "manifest.json").is_file():
                for where, document, kind in _cdk_templates(nested, nested / "manifest.json"):
                    found.append((f"{properties['directoryName']}/{where}", document, kind))
    return found


def _file(path: Path, where: str) -> list[Document]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise StateError(f"{where}: not text ({exc})") from None
    if path.suffix == ".tf":
        return [(where, _hcl([path], path.parent), "terraform")]
    hint = "json" if path.suffix == ".json" else "yaml" if path.suffix in YAML_SUFFIXES else None
    return _text(text, where, hint)


def _text(text: str, where: str, hint: str | None) -> list[Document]:
    if hint != "yaml":
        try:
            document = json.loads(text)
        except ValueError as exc:
            if hint == "json":
                raise StateError(f"{where}: not JSON ({exc})") from None
        else:
            return [(where, document, detect(document))]
    if hint is None and _looks_like_hcl(text):
        return [(where, _hcl_text(text, where), "terraform")]
    documents = [d for d in _yaml(text, where) if d is not None]
    if not documents:
        raise StateError(f"{where}: holds no document")
    if len(documents) > 1:
        return [(f"{where} document {n}", d, detect(d)) for n, d in enumerate(documents)]
    return [(where, documents[0], detect(documents[0]))]


def _looks_like_hcl(text: str) -> bool:
    return any(line.startswith(("resource \"", "variable \"", "locals {", "provider \""))
               for line in text.splitlines())


def _yaml(text: str, where: str) -> list[Any]:
    try:
        import yaml
    except ImportError:
        raise StateError(f"{where}: reading YAML needs PyYAML: {INSTALL}") from None

    # libyaml's parser where PyYAML was built with it (several times faster), its own
    # constructors either way
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    Loader: Any = type("Loader", (base,), {})

    def short_form(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        key = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
        return {key: value}

    Loader.add_multi_constructor("!", short_form)
    # A date stays text (CloudFormation's AWSTemplateFormatVersion: 2010-09-09), so that a
    # document read here can travel as JSON to a server.
    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_str)
    try:
        return list(yaml.load_all(text, Loader=Loader))
    except yaml.YAMLError as exc:
        raise StateError(f"{where}: not YAML ({exc})") from None


def _hcl(files: list[Path], folder: Path) -> dict[str, Any]:
    """One module: the blocks of every `.tf` file, each remembering its file."""
    module: dict[str, Any] = {"__hcl__": []}
    for file in files:
        where = str(file.relative_to(folder)) if file.is_relative_to(folder) else str(file)
        parsed = _hcl_text(file.read_text(encoding="utf-8"), where)
        module["__hcl__"] += parsed["__hcl__"]
    return module


def _hcl_text(text: str, where: str) -> dict[str, Any]:
    try:
        import hcl2
    except ImportError:
        raise StateError(f"{where}: reading Terraform's .tf files needs python-hcl2: "
                         f"{INSTALL}") from None
    options = hcl2.SerializationOptions(with_comments=False, explicit_blocks=False)
    try:
        parsed = hcl2.loads(text, serialization_options=options)
    except Exception as exc:  # the parser raises lark's many error types
        raise StateError(f"{where}: not HCL ({str(exc).splitlines()[0]})") from None
    return {"__hcl__": [(where, parsed)]}
