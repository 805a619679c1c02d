"""Downloads for the price refreshers, with `urllib.request` only (no SDKs, no credentials but GCP's API key).

- AWS: the EC2 region index
  `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/region_index.json` names each
  region's current offer file; its `.csv` twin is streamed through `parse_aws_offer_csv` (the JSON file of a
  large region is hundreds of MB).
- GCP: `https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus?key=...`, following
  `nextPageToken`; the API key comes from the argument or `GOOGLE_API_KEY` / `GCP_API_KEY`.
- Azure: `https://prices.azure.com/api/retail/prices?$filter=serviceName eq 'Virtual Machines' and
  armRegionName eq '<region>'`, following `NextPageLink`; no key.

Every failure to reach a host, or a missing key, is one `RefreshUnavailable(message, fix)`: the message names
the host, the fix says to run where the network is or to pass a downloaded file (the parsers take files).
`opener` parameters exist so tests (and proxies) can replace `urllib.request.urlopen`.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

from aiinfra.catalog.refresh import RefreshResult
from aiinfra.catalog.refresh.aws import parse_aws_offer_csv
from aiinfra.catalog.refresh.azure import parse_azure_prices
from aiinfra.catalog.refresh.gcp import COMPUTE_SERVICE, GcpMachine, parse_gcp_skus

AWS_PRICING_HOST = "https://pricing.us-east-1.amazonaws.com"
AWS_REGION_INDEX_URL = f"{AWS_PRICING_HOST}/offers/v1.0/aws/AmazonEC2/current/region_index.json"
GCP_SKUS_URL = f"https://cloudbilling.googleapis.com/v1/services/{COMPUTE_SERVICE}/skus"
AZURE_PRICES_URL = "https://prices.azure.com/api/retail/prices"
GCP_KEY_ENV = ("GOOGLE_API_KEY", "GCP_API_KEY")

TIMEOUT_S = 60.0
"""Per request (connect and each read); a stalled price API fails the refresh instead of hanging it."""
MAX_PAGES = 500
"""A guard against a paging loop: GCP's Compute SKUs are ~6 pages of 5,000, an Azure region ~20 of 1,000."""

Opener = Callable[..., IO[bytes]]
"""`urllib.request.urlopen`'s shape: `opener(request, timeout=...)` → a binary response."""


class RefreshUnavailable(RuntimeError):
    """The live prices cannot be read here. `message` says what failed and names the host; `fix` says what
    to do instead."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


PRICE_FILES = {
    "aws": "the region's EC2 offer file (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/"
    "current/<region>/index.csv)",
    "gcp": "the Compute Engine SKU list (GET https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus)",
    "azure": "the Retail Prices response (https://prices.azure.com/api/retail/prices?$filter=serviceName eq "
    "'Virtual Machines' and armRegionName eq '<region>')",
}


CLOUD_OF_HOST = {
    "pricing.us-east-1.amazonaws.com": "aws",
    "cloudbilling.googleapis.com": "gcp",
    "prices.azure.com": "azure",
}


def _fix(cloud: str) -> str:
    return (
        f"Run `infra catalog refresh {cloud}` on a machine with internet access, or download "
        f"{PRICE_FILES[cloud]} there and pass it with `infra catalog refresh {cloud} --from FILE`."
    )


def _open(url: str, *, what: str, opener: Opener | None, timeout: float, redact: str = "") -> IO[bytes]:
    """Open `url`, turning every network failure into `RefreshUnavailable` (with any key redacted)."""
    host = urllib.parse.urlsplit(url).hostname or url
    request = urllib.request.Request(url, headers={"User-Agent": "aiinfra-catalog-refresh", "Accept": "*/*"})
    try:
        return (opener or urllib.request.urlopen)(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        reason = str(exc.reason).replace(redact, "<key>") if redact else str(exc.reason)
        fix = _fix(CLOUD_OF_HOST.get(host, "aws"))
        if host.startswith("cloudbilling") and exc.code in (400, 401, 403):
            fix = (
                "Check the API key (GOOGLE_API_KEY / GCP_API_KEY): it must belong to a project with the Cloud "
                "Billing API enabled. " + fix
            )
        raise RefreshUnavailable(f"{host} answered HTTP {exc.code} ({reason}) for {what}.", fix) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        text = str(exc.reason if isinstance(exc, urllib.error.URLError) else exc)
        text = text.replace(redact, "<key>") if redact else text
        raise RefreshUnavailable(
            f"Could not reach {host} to download {what}: {text}.", _fix(CLOUD_OF_HOST.get(host, "aws"))
        ) from None


def _json(url: str, *, what: str, opener: Opener | None, timeout: float, redact: str = "") -> Any:
    with _open(url, what=what, opener=opener, timeout=timeout, redact=redact) as response:
        body = response.read()
    try:
        return json.loads(body, parse_float=Decimal)
    except ValueError as exc:
        host = urllib.parse.urlsplit(url).hostname or url
        raise RefreshUnavailable(
            f"{host} sent something that is not JSON for {what} ({exc}).",
            _fix(CLOUD_OF_HOST.get(host, "aws")),
        ) from None


# -- AWS -------------------------------------------------------------------------------------------------


def aws_offer_csv_url(region: str, index: Mapping[str, Any]) -> str:
    """The CSV offer file of `region` named by the EC2 region index (its `currentVersionUrl`, `.csv`)."""
    regions = index.get("regions", {})
    entry = regions.get(region)
    if entry is None:
        raise ValueError(
            f"AWS has no EC2 price list for region {region!r}; known: {', '.join(sorted(regions))}"
        )
    path = str(entry["currentVersionUrl"])
    return AWS_PRICING_HOST + (path.removesuffix(".json") + ".csv")


def fetch_aws(
    regions: Iterable[str],
    instance_types: Collection[str],
    *,
    retrieved: dt.date | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT_S,
) -> RefreshResult:
    """Download and parse the EC2 offer file (CSV, streamed) of each region."""
    retrieved = retrieved or dt.date.today()
    index = _json(AWS_REGION_INDEX_URL, what="the AWS EC2 region index", opener=opener, timeout=timeout)
    result = RefreshResult("aws", AWS_REGION_INDEX_URL, retrieved, ())
    for region in regions:
        url = aws_offer_csv_url(region, index)
        what = f"the AWS EC2 price list for {region} ({url})"
        with _open(url, what=what, opener=opener, timeout=timeout) as response:
            text = io.TextIOWrapper(response, encoding="utf-8-sig", newline="")
            try:
                part = parse_aws_offer_csv(text, instance_types, retrieved=retrieved, source=url)
            except (OSError, TimeoutError, http.client.HTTPException, csv.Error) as exc:
                raise RefreshUnavailable(f"The download of {what} broke off: {exc}.", _fix("aws")) from None
        result.extend(part)
    return result


# -- GCP -------------------------------------------------------------------------------------------------


def gcp_api_key(api_key: str | None = None) -> str:
    key = api_key or next((os.environ[v] for v in GCP_KEY_ENV if os.environ.get(v)), "")
    if not key:
        raise RefreshUnavailable(
            "No API key for cloudbilling.googleapis.com: the Cloud Billing Catalog API needs one even for "
            "public prices.",
            "Set GOOGLE_API_KEY (or GCP_API_KEY) to a key from a project with the Cloud Billing API enabled, "
            "or download the SKU list (services/6F81-5844-456A/skus) where you have one and pass it with "
            "`infra catalog refresh gcp --from FILE`.",
        )
    return key


def fetch_gcp_skus(
    *,
    api_key: str | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT_S,
    page_size: int = 5000,
) -> dict[str, Any]:
    """Every public Compute Engine SKU, all pages joined into one `{"skus": [...]}` document."""
    key = gcp_api_key(api_key)
    skus: list[Any] = []
    token = ""
    for _ in range(MAX_PAGES):
        query = {"key": key, "pageSize": str(page_size), "currencyCode": "USD"}
        if token:
            query["pageToken"] = token
        url = f"{GCP_SKUS_URL}?{urllib.parse.urlencode(query)}"
        page = _json(url, what="the Compute Engine SKU list", opener=opener, timeout=timeout, redact=key)
        skus.extend(page.get("skus", []))
        token = page.get("nextPageToken") or ""
        if not token:
            return {"skus": skus}
    raise RefreshUnavailable(
        f"cloudbilling.googleapis.com kept sending nextPageToken after {MAX_PAGES} pages.",
        _fix("gcp"),
    )


def fetch_gcp(
    machines: Mapping[str, GcpMachine],
    *,
    accelerators: Collection[str] | None = None,
    api_key: str | None = None,
    retrieved: dt.date | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT_S,
) -> RefreshResult:
    doc = fetch_gcp_skus(api_key=api_key, opener=opener, timeout=timeout)
    return parse_gcp_skus(
        doc,
        machines,
        retrieved=retrieved or dt.date.today(),
        source=f"{GCP_SKUS_URL} (Cloud Billing Catalog API)",
        accelerators=accelerators,
    )


# -- Azure -----------------------------------------------------------------------------------------------


def azure_prices_url(region: str) -> str:
    query = f"serviceName eq 'Virtual Machines' and armRegionName eq '{region}'"
    return f"{AZURE_PRICES_URL}?{urllib.parse.urlencode({'$filter': query}, quote_via=urllib.parse.quote)}"


def fetch_azure_items(
    regions: Iterable[str], *, opener: Opener | None = None, timeout: float = TIMEOUT_S
) -> dict[str, Any]:
    """Every Virtual Machines meter of `regions`, all pages joined into one `{"Items": [...]}` document."""
    items: list[Any] = []
    for region in regions:
        url: str | None = azure_prices_url(region)
        for _ in range(MAX_PAGES):
            page = _json(
                url or "", what=f"Azure VM retail prices for {region}", opener=opener, timeout=timeout
            )
            items.extend(page.get("Items", []))
            url = page.get("NextPageLink") or None
            if url is None:
                break
        if url is not None:
            raise RefreshUnavailable(
                f"prices.azure.com kept sending NextPageLink after {MAX_PAGES} pages for {region}.",
                _fix("azure"),
            )
    return {"Items": items}


def fetch_azure(
    regions: Iterable[str],
    instance_types: Collection[str],
    *,
    retrieved: dt.date | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT_S,
) -> RefreshResult:
    regions = list(regions)
    doc = fetch_azure_items(regions, opener=opener, timeout=timeout)
    return parse_azure_prices(
        doc,
        instance_types,
        retrieved=retrieved or dt.date.today(),
        source=f"{AZURE_PRICES_URL} (Azure Retail Prices API; serviceName 'Virtual Machines', "
        f"armRegionName {', '.join(regions)})",
    )
