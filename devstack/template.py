"""Reading ``template.yaml``: YAML with CloudFormation's short-form tags (cfn-lint's decoder), the
``AWS::Serverless-2016-10-31`` transform applied by SAM's own translator, and intrinsic functions
resolved against the local resources."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

ACCOUNT_ID = "123456789012"
# The S3 bucket that local ``CodeUri``/``DefinitionUri`` paths are given to the translator in (as SAM's
# package step would upload them): the provisioner reads ``Code.S3Key`` / ``DefinitionS3Location.Key``
# in it as paths beside the template.
WORK_TREE_BUCKET = "local-work-tree"
# The AWS managed policies SAM attaches (there is no account to list them from).
MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "AWSXRayDaemonWriteAccess": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
}


def load_template(path: Path) -> dict[str, Any]:
    """The template as written: short-form tags (``!Ref``, ``!GetAtt A.B``...) read as their long forms."""
    from cfnlint.decode import cfn_yaml  # imported here: cfn-lint takes seconds to import

    return dict(_plain(cfn_yaml.load(str(path))))


def _plain(value: Any) -> Any:
    """cfn-lint's nodes (dict/str subclasses that carry line numbers) as plain dicts, lists and strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def transform(template: dict[str, Any], parameters: dict[str, Any], region: str) -> dict[str, Any]:
    """Plain CloudFormation: the template's ``AWS::Serverless::*`` resources expanded by SAM's
    translator (the one ``sam deploy`` and CloudFormation's transform run), with ``parameters``."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    sam = copy.deepcopy(template)
    if sam.get("Transform") is None:
        return sam
    _local_uris(sam)
    translator = Translator(MANAGED_POLICIES, Parser(), boto_session=boto3.session.Session(region_name=region))
    values = {**parameters, "AWS::AccountId": ACCOUNT_ID}
    return dict(translator.translate(sam, parameter_values=values, get_managed_policy_map=lambda: MANAGED_POLICIES))


def _local_uris(sam: dict[str, Any]) -> None:
    """Local ``CodeUri``/``DefinitionUri``/``ContentUri`` paths as S3 URIs in WORK_TREE_BUCKET (the translator takes
    only S3 locations; ``sam package`` would have uploaded them)."""
    sections = [sam.get("Globals", {}).get("Function", {}), sam.get("Globals", {}).get("StateMachine", {})]
    sections += [r.get("Properties", {}) for r in sam.get("Resources", {}).values()]
    for properties in sections:
        for key in ("CodeUri", "DefinitionUri", "ContentUri"):
            uri = properties.get(key)
            if isinstance(uri, str) and not uri.startswith("s3://"):
                properties[key] = f"s3://{WORK_TREE_BUCKET}/{uri}"


class UnsupportedIntrinsic(ValueError):
    pass


_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


NO_VALUE = object()  # AWS::NoValue: the property or list item is left out


class Resolver:
    """Evaluates intrinsic functions. ``lookup(logical_id, attribute)`` supplies resource values
    (attribute None means ``Ref``); parameters, pseudo parameters and conditions are answered here."""

    def __init__(
        self,
        *,
        parameters: dict[str, Any],
        region: str,
        stack_name: str,
        lookup: Callable[[str, str | None], Any],
        conditions: dict[str, Any] | None = None,
    ) -> None:
        self.parameters = parameters
        self.lookup = lookup
        self.condition_definitions = conditions or {}
        self._conditions: dict[str, bool] = {}
        self.pseudo = {
            "AWS::Region": region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::StackName": stack_name,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": NO_VALUE,
        }

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = bool(self._evaluate(self.condition_definitions[name]))
        return self._conditions[name]

    def _evaluate(self, expression: Any) -> Any:
        if isinstance(expression, dict) and len(expression) == 1:
            ((key, arg),) = expression.items()
            if key == "Fn::Equals":
                left, right = (self.resolve(a) for a in arg)
                return str(left) == str(right)
            if key == "Fn::Not":
                return not self._evaluate(arg[0])
            if key == "Fn::And":
                return all(self._evaluate(a) for a in arg)
            if key == "Fn::Or":
                return any(self._evaluate(a) for a in arg)
            if key == "Condition":
                return self.condition(arg)
        return self.resolve(expression)

    def ref(self, name: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.lookup(name, None)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Fn::If":
                name, when_true, when_false = arg
                return self.resolve(when_true if self.condition(name) else when_false)
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                logical, attribute = arg if isinstance(arg, list) else str(arg).split(".", 1)
                return self.lookup(logical, attribute)
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Join":
                sep, items = arg
                return sep.join(str(self.resolve(i)) for i in self.resolve(items))
            if key == "Fn::Select":
                index, items = arg
                return self.resolve(items)[int(self.resolve(index))]
            if key == "Fn::Split":
                sep, text = arg
                return str(self.resolve(text)).split(sep)
            if key.startswith("Fn::"):
                raise UnsupportedIntrinsic(f"{key} is not supported by the local stack")
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                logical, attribute = name.split(".", 1)
                return str(self.lookup(logical, attribute))
            value = self.ref(name)
            if isinstance(value, list):
                return ",".join(map(str, value))
            return str(value)

        return _SUB_VAR.sub(replace, text).replace("${!", "${")
