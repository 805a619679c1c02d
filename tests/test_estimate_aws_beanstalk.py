"""Elastic Beanstalk (tusharshahrs/pulumi-home aws-classic-py-beanstalk declares an application, a version and an
environment): the application and its versions cost nothing; the environment's instances are created by
Beanstalk outside the plan, so it is listed as not estimated, with what its settings say it runs."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"aws:region": "us-east-1"}
    )
    return estimate(graph, default_catalog(), usage_path="stacks/usage.t.yaml")


def test_an_application_and_its_version_are_free_and_the_environment_is_not_estimated_with_its_settings() -> (
    None
):
    result = run(
        res("aws:elasticbeanstalk/application:Application", "app"),
        res("aws:elasticbeanstalk/applicationVersion:ApplicationVersion", "v1", application="app"),
        res(
            "aws:elasticbeanstalk/environment:Environment",
            "env",
            application="app",
            settings=[
                {
                    "namespace": "aws:autoscaling:launchconfiguration",
                    "name": "InstanceType",
                    "value": "t3.small",
                },
                {"namespace": "aws:autoscaling:asg", "name": "MinSize", "value": "2"},
                {"namespace": "aws:autoscaling:asg", "name": "MaxSize", "value": "4"},
                {
                    "namespace": "aws:elasticbeanstalk:environment",
                    "name": "EnvironmentType",
                    "value": "LoadBalanced",
                },
            ],
        ),
    )
    assert not result.lines and not result.unpriced
    assert sorted(f.resource for f in result.free) == ["app", "v1"]
    assert all("Beanstalk bills nothing itself" in f.reason for f in result.free)
    (env,) = result.unsupported
    assert env.resource == "env"
    assert "(its settings: instance type t3.small, min 2, max 4, environment type LoadBalanced)" in env.reason
    assert "outside the program" in env.reason


def test_an_environment_without_settings_says_why_without_an_empty_list() -> None:
    (env,) = run(res("aws:elasticbeanstalk/environment:Environment", "env", application="app")).unsupported
    assert "its settings" not in env.reason
    assert env.reason.startswith("an Elastic Beanstalk environment creates its EC2 instances")
