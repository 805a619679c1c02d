"""What the first measured mutation run of estimate/rules/azure_web.py (seed 1, sample 60; 75 %) found unchecked:
the Logic Apps meters and line texts, the Premium Front Door SKU and its fee's meter and quantity, the free
classic profile's reason, an endpoint naming one of several profiles, the CDN line's note and its second tier's
meter and unit."""

from __future__ import annotations

from tests.test_estimate_azure_web import ENDPOINT, FLOW, PROFILE, of, res, run


def test_a_workflows_lines_name_their_meters() -> None:
    actions, connectors = of(
        run(res(FLOW, "flow"), flow={"actionExecutions": 10, "connectorExecutions": 5}), "flow"
    )
    assert actions.description == "Logic Apps (Consumption): built-in action and trigger executions"
    assert "(service: logic-apps, item: action-execution)" in actions.reason
    assert connectors.description == "Logic Apps (Consumption): standard connector calls"
    assert "(service: logic-apps, item: standard-connector-execution)" in connectors.reason


def test_a_premium_front_door_pays_one_base_fee_a_month() -> None:
    (fee,) = of(run(res(PROFILE, "afd", sku={"name": "Premium_AzureFrontDoor"})), "afd")
    assert (
        fee.quantity == 1 and "(service: front-door, item: Premium_AzureFrontDoor-base-month)" in fee.reason
    )


def test_a_classic_profile_is_free_saying_where_its_traffic_is_priced() -> None:
    result = run(res(PROFILE, "cdn", sku={"name": "Standard_Microsoft"}))
    assert [(s.resource, s.reason) for s in result.free] == [
        ("cdn", "CDN profile: no charge by itself (data transfer is priced on its endpoints)")
    ]


def test_an_endpoint_takes_the_sku_of_the_profile_it_names() -> None:
    result = run(
        res(PROFILE, "a", sku={"name": "Standard_Microsoft"}),
        res(PROFILE, "b", sku={"name": "Standard_Verizon"}),
        res(ENDPOINT, "ep", profileName="b-id"),
        ep={"dataProcessedGB": 12_000},
    )
    first, rest = of(result, "ep")
    assert first.description == "CDN Standard_Verizon: data transfer out, first 10 TB"
    assert "rules engine rules and requests are not priced" in first.assumptions
    assert rest.unit == "GB" and "(service: cdn, item: Standard_Verizon/over-10tb-gb)" in rest.reason
