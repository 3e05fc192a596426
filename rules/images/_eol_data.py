"""End-of-life dates of popular base images (used by ``eol-base-image``).

Dates are the end of upstream (free) support: end of standard support for Ubuntu, end of
Debian LTS, end of security fixes for languages. Users can extend or override the table
with the rule's ``extra`` option. Keep ``LAST_UPDATED`` current when editing.

The data is as of ``LAST_UPDATED``. Source: the upstream projects' own end-of-support
dates, as described above (no individual pages were recorded when the first tables were
compiled). Sources of the entries added since:

- .NET (``_DOTNET``): Microsoft's .NET support policy,
  https://dotnet.microsoft.com/platform/support/policy/dotnet-core (end of support per
  version; .NET 9's moved from 2026-05-12 to 2026-11-10 when STS support became 24 months,
  https://devblogs.microsoft.com/dotnet/dotnet-sts-releases-supported-for-24-months).
- ``DEPRECATED`` ``java``, ``django``, ``rails``: their Docker Hub pages and
  docker-library/docs ``<image>/deprecated.md`` ("officially deprecated ... no further
  updates after 2016-12-31"), https://hub.docker.com/_/java.

Versions the table has no entry for are judged by ``eol-base-image`` from the entries it
has (a major-only tag by its newest release line, a version older than every entry by
the oldest): no dates are invented for them.
"""

from __future__ import annotations

from datetime import date

LAST_UPDATED = date(2026, 12, 7)

# image name (familiar form) -> {version or codename: EOL date}
EOL: dict[str, dict[str, date]] = {
    "ubuntu": {
        "12.04": date(2017, 4, 28),
        "precise": date(2017, 4, 28),
        "14.04": date(2019, 4, 30),
        "trusty": date(2019, 4, 30),
        "16.04": date(2021, 4, 30),
        "xenial": date(2021, 4, 30),
        "17.10": date(2018, 7, 19),
        "artful": date(2018, 7, 19),
        "18.04": date(2023, 5, 31),
        "bionic": date(2023, 5, 31),
        "18.10": date(2019, 7, 18),
        "cosmic": date(2019, 7, 18),
        "19.04": date(2020, 1, 23),
        "disco": date(2020, 1, 23),
        "19.10": date(2020, 7, 17),
        "eoan": date(2020, 7, 17),
        "20.04": date(2025, 5, 31),
        "focal": date(2025, 5, 31),
        "20.10": date(2021, 7, 22),
        "groovy": date(2021, 7, 22),
        "21.04": date(2022, 1, 20),
        "hirsute": date(2022, 1, 20),
        "21.10": date(2022, 7, 14),
        "impish": date(2022, 7, 14),
        "22.04": date(2027, 6, 1),
        "jammy": date(2027, 6, 1),
        "22.10": date(2023, 7, 20),
        "kinetic": date(2023, 7, 20),
        "23.04": date(2024, 1, 25),
        "lunar": date(2024, 1, 25),
        "23.10": date(2024, 7, 11),
        "mantic": date(2024, 7, 11),
        "24.04": date(2029, 5, 31),
        "noble": date(2029, 5, 31),
        "24.10": date(2025, 7, 10),
        "oracular": date(2025, 7, 10),
        "25.04": date(2026, 1, 15),
        "plucky": date(2026, 1, 15),
        "25.10": date(2026, 7, 9),
        "questing": date(2026, 7, 9),
    },
    "debian": {
        "7": date(2018, 5, 31),
        "wheezy": date(2018, 5, 31),
        "8": date(2020, 6, 30),
        "jessie": date(2020, 6, 30),
        "9": date(2022, 6, 30),
        "stretch": date(2022, 6, 30),
        "10": date(2024, 6, 30),
        "buster": date(2024, 6, 30),
        "11": date(2026, 8, 31),
        "bullseye": date(2026, 8, 31),
        "12": date(2028, 6, 30),
        "bookworm": date(2028, 6, 30),
        "13": date(2030, 6, 30),
        "trixie": date(2030, 6, 30),
    },
    "alpine": {
        "3.4": date(2018, 5, 1),
        "3.5": date(2018, 11, 1),
        "3.6": date(2019, 5, 1),
        "3.7": date(2019, 11, 1),
        "3.8": date(2020, 5, 1),
        "3.9": date(2020, 11, 1),
        "3.10": date(2021, 5, 1),
        "3.11": date(2021, 11, 1),
        "3.12": date(2022, 5, 1),
        "3.13": date(2022, 11, 1),
        "3.14": date(2023, 5, 1),
        "3.15": date(2023, 11, 1),
        "3.16": date(2024, 5, 23),
        "3.17": date(2024, 11, 22),
        "3.18": date(2025, 5, 9),
        "3.19": date(2025, 11, 1),
        "3.20": date(2026, 4, 1),
        "3.21": date(2026, 11, 1),
        "3.22": date(2027, 5, 1),
        "3.23": date(2027, 11, 1),
    },
    "centos": {
        "6": date(2020, 11, 30),
        "centos6": date(2020, 11, 30),
        "7": date(2024, 6, 30),
        "centos7": date(2024, 6, 30),
        "8": date(2021, 12, 31),
        "centos8": date(2021, 12, 31),
    },
    "fedora": {
        "36": date(2023, 5, 16),
        "37": date(2023, 12, 5),
        "38": date(2024, 5, 21),
        "39": date(2024, 11, 26),
        "40": date(2025, 5, 13),
        "41": date(2025, 12, 15),
        "42": date(2026, 5, 13),
    },
    "python": {
        "2.7": date(2020, 1, 1),
        "3.4": date(2019, 3, 18),
        "3.5": date(2020, 9, 13),
        "3.6": date(2021, 12, 23),
        "3.7": date(2023, 6, 27),
        "3.8": date(2024, 10, 7),
        "3.9": date(2025, 10, 31),
        "3.10": date(2026, 10, 31),
        "3.11": date(2027, 10, 31),
        "3.12": date(2028, 10, 31),
        "3.13": date(2029, 10, 31),
        "3.14": date(2030, 10, 31),
        "2": date(2020, 1, 1),
    },
    "node": {
        "4": date(2018, 4, 30),
        "6": date(2019, 4, 30),
        "8": date(2019, 12, 31),
        "10": date(2021, 4, 30),
        "11": date(2019, 6, 1),
        "12": date(2022, 4, 30),
        "13": date(2020, 6, 1),
        "14": date(2023, 4, 30),
        "15": date(2021, 6, 1),
        "16": date(2023, 9, 11),
        "17": date(2022, 6, 1),
        "18": date(2025, 4, 30),
        "19": date(2023, 6, 1),
        "20": date(2026, 4, 30),
        "21": date(2024, 6, 1),
        "22": date(2027, 4, 30),
        "23": date(2025, 6, 1),
        "24": date(2028, 4, 30),
        "25": date(2026, 6, 1),
        "26": date(2029, 4, 30),
    },
    "golang": {
        "1.15": date(2021, 8, 16),
        "1.16": date(2022, 3, 15),
        "1.17": date(2022, 8, 2),
        "1.18": date(2023, 2, 1),
        "1.19": date(2023, 8, 8),
        "1.20": date(2024, 2, 6),
        "1.21": date(2024, 8, 13),
        "1.22": date(2025, 2, 11),
        "1.23": date(2025, 8, 12),
        "1.24": date(2026, 2, 10),
        "1.25": date(2026, 8, 11),
        "1.26": date(2027, 2, 9),
    },
    "ruby": {
        "2.4": date(2020, 3, 31),
        "2.5": date(2021, 4, 5),
        "2.6": date(2022, 4, 12),
        "2.7": date(2023, 3, 31),
        "3.0": date(2024, 4, 23),
        "3.1": date(2025, 3, 26),
        "3.2": date(2026, 3, 31),
        "3.3": date(2027, 3, 31),
        "3.4": date(2028, 3, 31),
    },
    "php": {
        "5.6": date(2018, 12, 31),
        "7.0": date(2019, 1, 10),
        "7.1": date(2019, 12, 1),
        "7.2": date(2020, 11, 30),
        "7.3": date(2021, 12, 6),
        "7.4": date(2022, 11, 28),
        "8.0": date(2023, 11, 26),
        "8.1": date(2025, 12, 31),
        "8.2": date(2026, 12, 31),
        "8.3": date(2027, 12, 31),
        "8.4": date(2028, 12, 31),
    },
    "eclipse-temurin": {
        "8": date(2026, 11, 30),
        "11": date(2027, 10, 31),
        "17": date(2027, 10, 31),
        "18": date(2022, 9, 20),
        "19": date(2023, 3, 21),
        "20": date(2023, 9, 19),
        "21": date(2029, 12, 31),
        "22": date(2024, 9, 17),
        "23": date(2025, 3, 18),
        "24": date(2025, 9, 16),
    },
    "postgres": {
        "9.6": date(2021, 11, 11),
        "10": date(2022, 11, 10),
        "11": date(2023, 11, 9),
        "12": date(2024, 11, 21),
        "13": date(2025, 11, 13),
        "14": date(2026, 11, 12),
        "15": date(2027, 11, 11),
        "16": date(2028, 11, 9),
        "17": date(2029, 11, 8),
    },
}

# .NET and .NET Core, one table for the SDK and the runtime images (all tags start with the
# version: `8.0`, `8.0-alpine`, `8.0.100-bookworm-slim`; `microsoft/dotnet:2.1-sdk`).
_DOTNET: dict[str, date] = {
    "1.0": date(2019, 6, 27),
    "1.1": date(2019, 6, 27),
    "2.0": date(2018, 10, 1),
    "2.1": date(2021, 8, 21),
    "2.2": date(2019, 12, 23),
    "3.0": date(2020, 3, 3),
    "3.1": date(2022, 12, 13),
    "5.0": date(2022, 5, 10),
    "6.0": date(2024, 11, 12),
    "7.0": date(2024, 5, 14),
    "8.0": date(2026, 11, 10),
    "9.0": date(2026, 11, 10),
}
for _image in (
    *(f"mcr.microsoft.com/dotnet/{kind}" for kind in ("sdk", "aspnet", "runtime", "runtime-deps")),
    *(
        f"mcr.microsoft.com/dotnet/core/{kind}"
        for kind in ("sdk", "aspnet", "runtime", "runtime-deps")
    ),
    "microsoft/dotnet",
    "microsoft/aspnetcore",
    "microsoft/aspnetcore-build",
):
    EOL[_image] = _DOTNET

# What the messages call an image's product when not by the image's name.
PRODUCTS: dict[str, str] = {image: ".NET" for image, table in EOL.items() if table is _DOTNET}

# Images deprecated as a whole (image name -> reason).
DEPRECATED: dict[str, str] = {
    "openjdk": "the `openjdk` image is deprecated and no longer updated; use `eclipse-temurin`, "
    "`amazoncorretto` or another maintained JDK image",
    "centos": "CentOS Linux is discontinued; use a maintained distribution such as "
    "`rockylinux`, `almalinux` or `quay.io/centos/centos:stream9`",
    "java": "the `java` image is deprecated and has had no updates since 2016; use "
    "`eclipse-temurin`, `amazoncorretto` or another maintained JDK image",
    "django": "the `django` image is deprecated and has had no updates since 2016; use the "
    "`python` image and install Django from your requirements",
    "rails": "the `rails` image is deprecated and has had no updates since 2016; use the "
    "`ruby` image and install Rails from your Gemfile",
}

# Distribution codenames that official images put in their tags (`python:3.8-slim-buster`).
TAG_OS_VARIANTS: dict[str, tuple[str, str]] = {
    codename: ("debian", codename)
    for codename in ("wheezy", "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie")
} | {codename: ("ubuntu", codename) for codename in ("xenial", "bionic", "focal", "jammy", "noble")}
