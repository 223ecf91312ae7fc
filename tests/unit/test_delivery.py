"""The deploy steps that can be checked without AWS: stages, config.json from the stack's outputs,
what the front end's upload caches and invalidates, teardown's list, the build's size report."""

from __future__ import annotations

import py_compile
import shutil
import subprocess
from pathlib import Path

import pytest

from delivery import build_report, frontend, teardown
from delivery.stage import Stage, StageError
from devstack.template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")


def test_dev_and_prod_are_separate_stacks_in_samconfig() -> None:
    dev, prod = Stage.load("dev"), Stage.load("prod")
    assert (dev.stack_name, prod.stack_name) == ("fileshare-dev", "fileshare-prod")
    with pytest.raises(StageError, match="stages: dev, prod"):
        Stage.load("staging")


def test_every_stack_output_deploy_frontend_needs_exists() -> None:
    outputs = TEMPLATE["Outputs"]
    missing = [name for name in frontend.REQUIRED_OUTPUTS if name not in outputs]
    assert not missing, f"make deploy-frontend reads outputs the template lacks: {missing}"


def stack_outputs() -> dict[str, str]:
    values = {name: f"value-of-{name}" for name in TEMPLATE["Outputs"]}
    return {**values, "MaxUploadBytes": "10737418240", "SinglePostMaxBytes": "104857600"}


def test_config_json_is_made_of_the_stacks_outputs() -> None:
    config = frontend.app_config(stack_outputs())
    assert config == {
        "apiUrl": "value-of-ApiUrl",
        "region": "value-of-Region",
        "userPoolId": "value-of-UserPoolId",
        "userPoolClientId": "value-of-UserPoolClientId",
        "maxUploadBytes": 10737418240,
        "singlePostMaxBytes": 104857600,
    }
    without_api = {k: v for k, v in stack_outputs().items() if k != "ApiUrl"}
    with pytest.raises(frontend.MissingOutput, match="ApiUrl"):
        frontend.app_config(without_api)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("assets/index-3f2a9c1d.js", "public, max-age=31536000, immutable"),
        ("assets/share-77aa01.css", "public, max-age=31536000, immutable"),
        ("index.html", "no-cache"),
        ("share.html", "no-cache"),
        ("config.json", "no-cache"),
        ("favicon.svg", "no-cache"),  # not hashed: a new one must show
    ],
)
def test_hashed_assets_are_cached_for_a_year_and_everything_else_revalidated(path: str, expected: str) -> None:
    assert frontend.cache_control(path) == expected


def test_assets_go_up_before_the_pages_that_name_them_and_old_ones_leave_last(tmp_path: Path) -> None:
    first, pages, prune = frontend.sync_commands(tmp_path, "app-bucket")
    assert first[:4] == ["s3", "sync", f"{tmp_path}/assets", "s3://app-bucket/assets/"]
    assert "--delete" not in first and "public, max-age=31536000, immutable" in first
    assert pages[2:4] == [str(tmp_path), "s3://app-bucket"]
    assert pages[pages.index("--exclude") + 1] == "assets/*" and "--delete" in pages
    assert pages[pages.index("--cache-control") + 1] == "no-cache"
    assert prune[:4] == first[:4] and "--delete" in prune
    assert prune[prune.index("--cache-control") + 1] == "public, max-age=31536000, immutable"


def test_only_pages_whose_content_changed_are_invalidated(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>new</html>")
    (tmp_path / "share.html").write_text("<html>share</html>")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "assets" / "index-new.js").write_text("new()")
    local = frontend.local_digests(tmp_path)
    remote = {
        "index.html": '"0123456789abcdef0123456789abcdef"',  # S3 quotes its ETags
        "share.html": f'"{local["share.html"]}"',
        "config.json": f'"{local["config.json"]}"',
        "old.html": '"ffff"',
        "assets/index-old.js": '"eeee"',
    }
    assert frontend.changed_paths(local, remote) == ["/index.html", "/old.html"]
    assert frontend.changed_paths(local, {k: f'"{v}"' for k, v in local.items()}) == []


def test_destroy_names_every_retained_resource_and_how_to_remove_it() -> None:
    assert teardown.retained(TEMPLATE) == {
        "UploadsBucket": "AWS::S3::Bucket",
        "Table": "AWS::DynamoDB::Table",
        "TokenKey": "AWS::KMS::Key",
        "AccessLogsBucket": "AWS::S3::Bucket",
    }
    lines = teardown.what_remains(TEMPLATE, {"Table": "fileshare-dev-Table-1X2Y"})
    assert "aws dynamodb delete-table --table-name fileshare-dev-Table-1X2Y" in "\n".join(lines)
    assert "AppBucket" not in "\n".join(lines)  # the built app is not user data: emptied and deleted


def test_the_build_report_gives_each_functions_artifact_size_with_its_layers(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        "Globals:\n"
        "  Function: {Layers: [!Ref RuntimeLayer]}\n"
        "Resources:\n"
        "  RuntimeLayer: {Type: AWS::Serverless::LayerVersion}\n"
        "  YaraLayer: {Type: AWS::Serverless::LayerVersion}\n"
        "  FilesApiFunction: {Type: AWS::Serverless::Function}\n"
        "  ScanUploadFunction: {Type: AWS::Serverless::Function, Properties: {Layers: [!Ref YaraLayer]}}\n"
        "  Table: {Type: AWS::DynamoDB::Table}\n"
    )
    sizes = {
        "FilesApiFunction": 2_000_000,
        "ScanUploadFunction": 300_000,
        "RuntimeLayer": 1_000_000,
        "YaraLayer": 500_000,
    }
    for part, size in sizes.items():
        (tmp_path / part / "python").mkdir(parents=True)
        (tmp_path / part / "python" / "code.py").write_bytes(b"x" * size)

    lines = build_report.report(tmp_path, tmp_path / "template.yaml")

    assert [line.split()[0] for line in lines] == ["function", "FilesApiFunction", "ScanUploadFunction"]
    assert lines[1].split()[1:4] == ["1", "2.0MB", "3.0MB"]  # files, its code, with its layers
    assert lines[1].endswith("RuntimeLayer")
    assert lines[2].split()[2:4] == ["0.3MB", "1.8MB"] and lines[2].endswith("RuntimeLayer, YaraLayer")
    with pytest.raises(FileNotFoundError, match="did sam build run"):
        build_report.measure(tmp_path, "MissingFunction")


def make_dry_run(*args: str) -> str:
    """What make would run (make -n runs nothing)."""
    make = shutil.which("make")
    assert make
    return subprocess.run([make, "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_make_build_compiles_the_artifacts_for_lambdas_python_then_reports_them() -> None:
    recipe = make_dry_run("build")
    built = recipe.index("sam build --template template.yaml")
    compiled = recipe.index("$LAMBDA_PYTHON -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build")
    assert built < compiled < recipe.index(".venv/bin/python -m delivery.build_report .aws-sam/build")


def test_the_build_report_fails_a_module_lambda_would_compile_on_every_cold_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "template.yaml").write_text(
        "Globals:\n"
        "  Function: {Runtime: python3.13, Layers: [!Ref RuntimeLayer]}\n"
        "Resources:\n"
        "  RuntimeLayer: {Type: AWS::Serverless::LayerVersion}\n"
        "  FilesApiFunction: {Type: AWS::Serverless::Function}\n"
    )
    modules = {
        name: tmp_path / part / f"{name}.py" for name, part in (("ours", "FilesApiFunction"), ("sdk", "RuntimeLayer"))
    }
    for source in modules.values():
        source.parent.mkdir(parents=True)
        source.write_text("ANSWER = 42\n")

    def compile_for_lambda(source: Path, mode: py_compile.PycInvalidationMode) -> None:
        py_compile.compile(
            str(source),
            str(source.parent / "__pycache__" / f"{source.stem}.cpython-313.pyc"),
            invalidation_mode=mode,
            doraise=True,
        )

    assert build_report.cache_tag(tmp_path / "template.yaml") == "cpython-313"
    # sam zips every file dated 1980: a timestamp-checked .pyc would be compiled again on Lambda
    compile_for_lambda(modules["ours"], py_compile.PycInvalidationMode.UNCHECKED_HASH)
    compile_for_lambda(modules["sdk"], py_compile.PycInvalidationMode.TIMESTAMP)
    assert build_report.main([str(tmp_path)]) == 1
    assert "1 modules have no unchecked cpython-313 bytecode" in capsys.readouterr().out
    assert build_report.without_bytecode(tmp_path / "RuntimeLayer", "cpython-313") == [modules["sdk"]]

    compile_for_lambda(modules["sdk"], py_compile.PycInvalidationMode.UNCHECKED_HASH)
    assert build_report.main([str(tmp_path)]) == 0
    assert "every module of every function and layer is compiled for cpython-313" in capsys.readouterr().out


def test_deploy_targets_use_the_stage_given() -> None:
    assert "sam deploy --config-env prod --no-fail-on-empty-changeset" in make_dry_run("deploy", "STAGE=prod")
    assert "delivery.teardown --stage prod" in make_dry_run("destroy", "STAGE=prod")


BOOTSTRAP = load_template(ROOT / "delivery" / "bootstrap.yaml")["Resources"]


@pytest.mark.parametrize("role", ["BackendDeployRole", "FrontendDeployRole"])
def test_only_this_repositorys_dev_and_prod_environments_may_assume_a_deploy_role(role: str) -> None:
    (trust,) = BOOTSTRAP[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    claims = trust["Condition"]["StringEquals"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert claims["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    assert [s["Fn::Sub"] for s in claims["token.actions.githubusercontent.com:sub"]] == [
        "repo:${GitHubRepository}:environment:dev",
        "repo:${GitHubRepository}:environment:prod",
    ]


def actions_of(role: str) -> set[str]:
    found: set[str] = set()
    for policy in BOOTSTRAP[role]["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            value = statement["Action"]
            found |= set(value if isinstance(value, list) else [value])
    return found


def test_the_pipeline_roles_cannot_create_resources_themselves() -> None:
    # The back end's role drives CloudFormation and passes it the execution role; nothing else.
    backend = actions_of("BackendDeployRole")
    assert {a.split(":")[0] for a in backend} == {"cloudformation", "s3", "iam"}
    assert {a for a in backend if a.startswith("iam:")} == {"iam:PassRole"}
    frontend_actions = actions_of("FrontendDeployRole")
    assert frontend_actions == {
        "cloudformation:DescribeStacks",
        "s3:ListBucket",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:GetObject",
        "cloudfront:CreateInvalidation",
        "cloudfront:GetInvalidation",
    }
