"""The demo community: a realistic school (or district) to explore plc with.

The core creates the community, teams and members; then every plugin fills in
its own records through the ``populate_demo`` hook. The person running
``plc demo`` is its admin; a coach (``dreyes``) and a teacher (``tnguyen``)
are always there to try other seats with ``plc --as LOGIN demo``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from . import community, identity
from .errors import PLCError
from .private_store import community_key, private_root
from .runtime import Runtime

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Carmen",
    "Darnell",
    "Elena",
    "Farah",
    "Gabriel",
    "Hana",
    "Ibrahim",
    "Jasmine",
    "Kwame",
    "Laura",
    "Mateo",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Samuel",
    "Tamika",
    "Umar",
    "Valeria",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Andre",
    "Beatriz",
    "Chloe",
    "Diego",
    "Emeka",
    "Fiona",
    "Grace",
    "Hiroshi",
    "Imani",
    "Jonah",
    "Keisha",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Pedro",
    "Rachel",
    "Sofia",
    "Tyrone",
    "Vanessa",
    "William",
    "Yara",
    "Marisol",
    "Declan",
]
LAST_NAMES = [
    "Adeyemi",
    "Brooks",
    "Castillo",
    "Dubois",
    "Edwards",
    "Fitzgerald",
    "Garcia",
    "Haddad",
    "Ishikawa",
    "Johnson",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Nakamura",
    "O'Connor",
    "Patel",
    "Quintero",
    "Rahman",
    "Schultz",
    "Thompson",
    "Usman",
    "Vasquez",
    "Williams",
    "Xu",
    "Yilmaz",
    "Zimmerman",
    "Alvarez",
    "Bennett",
    "Chen",
    "Delgado",
    "Eriksen",
    "Fernandes",
    "Gutierrez",
    "Hoang",
    "Iyer",
    "Jablonski",
    "Kim",
    "Lopez",
    "Murphy",
    "Novak",
    "Okafor",
    "Petrov",
    "Reyes",
    "Singh",
    "Torres",
    "Whitfield",
    "Young",
]

SMALL_SCHOOL = "Maple Grove Elementary"
SMALL_TEAMS = [
    ("Kindergarten Team", "Early literacy and play-based learning"),
    ("Grade 1 Team", "Foundational reading and number sense"),
    ("Grade 2 Team", "Reading fluency and place value"),
    ("Grade 3 Team", "Reading comprehension and multiplication"),
    ("Grade 4 Team", "Writing across subjects and fractions"),
    ("Grade 5 Team", "Transition to middle school"),
    ("Student Support Team", "Special education, ELL and intervention"),
    ("Leadership Team", "Principal, coaches and team leads"),
]
DISTRICT_NAME = "Riverside Unified School District"
DISTRICT_SCHOOLS = [
    "Maple Grove Elementary",
    "Cedar Park Elementary",
    "Lakeview Elementary",
    "Riverside Middle",
    "Hillcrest Middle",
    "Riverside High",
]
DISTRICT_TEAMS = [
    "Grade 1",
    "Grade 2",
    "Grade 3",
    "Grade 4",
    "Grade 5",
    "Math",
    "Literacy",
    "Science",
    "Student Support",
    "Leadership",
]

COACH = ("dreyes", "Dana Reyes")
TEACHER = ("tnguyen", "Thanh Nguyen")


def demo_exists(runtime: Runtime) -> bool:
    with runtime.storage.read() as tx:
        info = community.community_info(tx)
    if info is not None and not info.get("demo"):
        raise PLCError(
            f"{runtime.data_dir} holds a real community, not a demo; give `plc demo` another --db."
        )
    return info is not None


def remove_demo(path: Path) -> None:
    """Delete a demo data directory, refusing anything that is not one."""
    members = path / "core" / "community.json"
    if members.exists() and '"demo":true' not in members.read_text("utf-8").replace(" ", ""):
        raise PLCError(f"{path} is not a demo community; --reset will not delete it.")
    # The demo members' private documents (drafts) go with it.
    shutil.rmtree(private_root() / community_key(path), ignore_errors=True)
    shutil.rmtree(path)


def _people(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str]]:
    people = []
    while len(people) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = (first[0] + last).lower().replace("'", "")
        login, n = base, 2
        while login in taken:
            login, n = f"{base}{n}", n + 1
        taken.add(login)
        people.append((login, f"{first} {last}"))
    return people


def build_demo(runtime: Runtime, *, size: str = "small", seed: int = 2026) -> dict[str, int]:
    """Create the demo community and let every plugin add its records."""
    rng = random.Random(seed)
    admin_login = runtime.login
    taken = {admin_login, COACH[0], TEACHER[0]}
    with runtime.storage.transaction() as tx:
        if size == "small":
            community.init_community(
                tx,
                name=SMALL_SCHOOL,
                admin_login=admin_login,
                admin_name=identity.current_full_name(),
                demo=True,
            )
            teams = [community.add_team(tx, name=n, description=d) for n, d in SMALL_TEAMS]
            per_team = 4
        else:
            community.init_community(
                tx,
                name=DISTRICT_NAME,
                admin_login=admin_login,
                admin_name=identity.current_full_name(),
                demo=True,
            )
            teams = [
                community.add_team(tx, name=f"{school} {t}", description=f"{t} at {school}")
                for school in DISTRICT_SCHOOLS
                for t in DISTRICT_TEAMS
            ]
            per_team = 7
        leadership = teams[-1]
        community.edit_member(tx, admin_login, add_teams=[leadership.id])
        community.add_member(
            tx,
            login=COACH[0],
            name=COACH[1],
            role="coach",
            teams=[leadership.id, teams[2].id, teams[3].id],
        )
        community.add_member(
            tx, login=TEACHER[0], name=TEACHER[1], role="teacher", teams=[teams[3].id]
        )
        for team in teams:
            for login, name in _people(rng, per_team, taken):
                extra = [rng.choice(teams).id] if rng.random() < 0.1 else []
                role = "coach" if team is leadership and rng.random() < 0.5 else "teacher"
                community.add_member(tx, login=login, name=name, role=role, teams=[team.id, *extra])
        members = len(community.list_members(tx))
    runtime.refresh_member()
    today = runtime.today()
    # Each plugin draws from a generator of its own, so what one module makes does not
    # depend on which others are installed or the order pluggy asks them in.
    runtime.host.call(
        "populate_demo",
        lambda name: {
            "ctx": runtime.context(name),
            "size": size,
            "rng": random.Random(f"{seed}:{name}"),
            "today": today,
        },
    )
    return {"teams": len(teams), "members": members}
