"""The demo community: a realistic school (or district) to explore plc with.

The core creates the community, teams and members; then every plugin fills in
its own records through the ``populate_demo`` hook. The person running
``plc demo`` is its admin; a coach (``dreyes``) and a teacher (``tnguyen``)
are always there to try other seats with ``plc --as LOGIN demo``.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

from . import community, identity
from .community import Team
from .errors import PLCError
from .private_store import community_folder
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
# Three elementary schools, two middle schools and a large high school: ten teams
# each, grade-level teams in the elementary schools, departments further up.
DISTRICT_SCHOOLS = [
    ("Maple Grove Elementary", "elementary"),
    ("Cedar Park Elementary", "elementary"),
    ("Lakeview Elementary", "elementary"),
    ("Riverside Middle", "middle"),
    ("Hillcrest Middle", "middle"),
    ("Riverside High", "high"),
]
# (team, what it works on, how many people it usually has)
DISTRICT_TEAMS = {
    "elementary": [
        ("Kindergarten", "Early literacy, number sense and classroom routines", 12),
        ("Grade 1", "Foundational reading and number sense", 12),
        ("Grade 2", "Reading fluency and place value", 12),
        ("Grade 3", "Reading comprehension and multiplication", 12),
        ("Grade 4", "Writing across subjects and fractions", 12),
        ("Grade 5", "Transition to middle school", 12),
        ("Specials", "Art, music, PE and library", 9),
        ("English Learners", "Language development across the grades", 7),
        ("Student Support", "Special education, intervention and counselling", 12),
        ("Leadership", "Principal, coaches and team leads", 9),
    ],
    "middle": [
        ("Grade 6", "The move from elementary school; advisory and study habits", 16),
        ("Grade 7", "Interdisciplinary projects and reading in every subject", 16),
        ("Grade 8", "Ready for high school: credits, pathways and study skills", 16),
        ("Math", "From ratios to algebra", 18),
        ("English", "Reading, writing and argument", 18),
        ("Science", "Labs, models and scientific writing", 16),
        ("Social Studies", "History, civics and document analysis", 16),
        ("Electives", "Art, music, technology and world languages", 16),
        ("Student Support", "Special education, English learners and counselling", 16),
        ("Leadership", "Principal, assistant principals, coaches and team leads", 10),
    ],
    "high": [
        ("Grade 9 Success", "Every ninth grader on track to graduate", 20),
        ("Math", "Algebra 1 to calculus and statistics", 32),
        ("English", "Literature, composition and research writing", 32),
        ("Science", "Biology, chemistry, physics and lab safety", 30),
        ("Social Studies", "History, government and economics", 26),
        ("World Languages", "Spanish, French, Mandarin and heritage speakers", 16),
        ("Career and Technical", "Pathways, internships and certifications", 20),
        ("Arts", "Visual arts, music and theatre", 16),
        ("Student Support", "Special education, counselling and 504 plans", 24),
        ("Leadership", "Principal, assistant principals, coaches and department heads", 12),
    ],
}
# More names for the district, so its 880 people need not share a name.
MORE_FIRST_NAMES = [
    "Abigail",
    "Adrian",
    "Amara",
    "Amir",
    "Ana",
    "Anton",
    "Bianca",
    "Caleb",
    "Camila",
    "Daniel",
    "Daria",
    "Elif",
    "Elijah",
    "Esther",
    "Ethan",
    "Fatima",
    "Felix",
    "Gloria",
    "Hamza",
    "Hector",
    "Ingrid",
    "Isaac",
    "Ivy",
    "Javier",
    "Jin",
    "Joy",
    "Kai",
    "Kenji",
    "Lena",
    "Leon",
    "Lucia",
    "Malik",
    "Mariam",
    "Miguel",
    "Mira",
    "Nathan",
    "Nia",
    "Oscar",
    "Paloma",
    "Rafael",
    "Renee",
    "Ruth",
    "Sana",
    "Simone",
    "Tariq",
    "Teresa",
    "Tomas",
    "Uma",
    "Victor",
    "Yasmin",
    "Aaliyah",
    "Ahmed",
    "Alejandro",
    "Alice",
    "Amelia",
    "Andrea",
    "Arjun",
    "Aurora",
    "Bruno",
    "Carlos",
    "Cecilia",
    "Chidi",
    "Clara",
    "Dalia",
    "David",
    "Dmitri",
    "Eduardo",
    "Eleanor",
    "Elsa",
    "Emma",
    "Erin",
    "Esperanza",
    "Gideon",
    "Hannah",
    "Helen",
    "Ian",
    "Ines",
    "Irene",
    "Jack",
    "James",
    "Jamal",
    "Joanna",
    "Jorge",
    "Julia",
    "Karim",
    "Katarina",
    "Kofi",
    "Leila",
    "Lily",
    "Lorenzo",
    "Luis",
    "Mei",
    "Michael",
    "Monica",
    "Naomi",
    "Nikhil",
    "Nora",
    "Omar",
    "Patricia",
    "Paul",
    "Ravi",
    "Rebecca",
    "Rohan",
    "Sara",
    "Sean",
    "Sebastian",
    "Sophie",
    "Stefan",
    "Thomas",
    "Yuki",
]
MORE_LAST_NAMES = [
    "Abara",
    "Bakker",
    "Campbell",
    "Costa",
    "Diallo",
    "Dunn",
    "Ellison",
    "Farouk",
    "Gallagher",
    "Greene",
    "Hale",
    "Hussain",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Keller",
    "Lam",
    "Larsen",
    "Mahmoud",
    "Moreno",
    "Nguyen",
    "Nolan",
    "Ortiz",
    "Park",
    "Pereira",
    "Price",
    "Ramirez",
    "Rossi",
    "Sato",
    "Shapiro",
    "Soto",
    "Sullivan",
    "Tan",
    "Tran",
    "Varga",
    "Vu",
    "Wallace",
    "Weber",
    "Yang",
    "Zhou",
    "Acheampong",
    "Ali",
    "Baptiste",
    "Barnes",
    "Becker",
    "Bui",
    "Carter",
    "Chowdhury",
    "Cruz",
    "Dang",
    "Evans",
    "Flores",
    "Fischer",
    "Gomez",
    "Gupta",
    "Hernandez",
    "Holm",
    "Jackson",
    "Khan",
    "Kruger",
    "Le",
    "Lewis",
    "Martin",
    "Medina",
    "Morales",
    "Moore",
    "Nair",
    "Obi",
    "Olsen",
    "Perez",
    "Quinn",
    "Reid",
    "Rivera",
    "Ruiz",
    "Santos",
    "Shah",
    "Silva",
    "Stewart",
    "Suarez",
    "Turner",
    "Walker",
    "Ward",
    "Watanabe",
    "Wilson",
    "Wong",
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
    info = path / "core" / "community.json"
    text = info.read_text("utf-8") if info.exists() else ""
    if text and '"demo":true' not in text.replace(" ", ""):
        raise PLCError(f"{path} is not a demo community; --reset will not delete it.")
    # The demo members' private documents (keys, drafts) go with it.
    shutil.rmtree(community_folder(path, _community_id_in(text)), ignore_errors=True)
    shutil.rmtree(path)


def _community_id_in(text: str) -> str | None:
    try:
        docs = json.loads(text).get("_default", {})
    except (ValueError, AttributeError):
        return None
    ids = [d.get("id") for d in docs.values() if isinstance(d, dict)]
    return ids[0] if ids and isinstance(ids[0], str) else None


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


def _school(tx: Any, rng: random.Random, admin_login: str, taken: set[str]) -> list[Team]:
    """One school's teams, four people in each."""
    teams = [community.add_team(tx, name=n, description=d) for n, d in SMALL_TEAMS]
    leadership = teams[-1]
    community.edit_member(tx, admin_login, add_teams=[leadership.id])
    community.add_member(
        tx,
        login=COACH[0],
        name=COACH[1],
        role="coach",
        teams=[leadership.id, teams[2].id, teams[3].id],
    )
    community.add_member(tx, login=TEACHER[0], name=TEACHER[1], role="teacher", teams=[teams[3].id])
    for team in teams:
        for login, name in _people(rng, 4, taken):
            extra = [rng.choice(teams).id] if rng.random() < 0.1 else []
            role = "coach" if team is leadership and rng.random() < 0.5 else "teacher"
            community.add_member(tx, login=login, name=name, role=role, teams=[team.id, *extra])
    return teams


def _district_people(
    rng: random.Random, count: int, taken: set[str], names: set[str]
) -> list[tuple[str, str]]:
    """Like :func:`_people`, from the longer lists and with no full name twice."""
    firsts, lasts = FIRST_NAMES + MORE_FIRST_NAMES, LAST_NAMES + MORE_LAST_NAMES
    people = []
    while len(people) < count:
        first, last = rng.choice(firsts), rng.choice(lasts)
        if f"{first} {last}" in names:
            continue
        names.add(f"{first} {last}")
        base = (first[0] + last).lower().replace("'", "")
        login, n = base, 2
        while login in taken:
            login, n = f"{base}{n}", n + 1
        taken.add(login)
        people.append((login, f"{first} {last}"))
    return people


def _district(tx: Any, rng: random.Random, admin_login: str, taken: set[str]) -> list[Team]:
    """The district's schools and teams, and some 880 people in them."""
    teams = []
    plan = []
    for school, level in DISTRICT_SCHOOLS:
        mine = []
        for name, description, size in DISTRICT_TEAMS[level]:
            team = community.add_team(tx, name=f"{school} {name}", description=description)
            mine.append((team, size, name == "Leadership"))
        teams.extend(team for team, _, _ in mine)
        plan.append(mine)
    # The admin leads the first school; the demo coach works there with two grade
    # teams, and the demo teacher teaches Grade 3 (as in the small demo).
    leadership = teams[9]
    community.edit_member(tx, admin_login, add_teams=[leadership.id])
    community.add_member(
        tx,
        login=COACH[0],
        name=COACH[1],
        role="coach",
        teams=[leadership.id, teams[2].id, teams[3].id],
    )
    community.add_member(tx, login=TEACHER[0], name=TEACHER[1], role="teacher", teams=[teams[3].id])
    names = {COACH[1], TEACHER[1]}
    for school in plan:
        for team, size, leads in school:
            people = _district_people(rng, size + rng.randint(-1, 1), taken, names)
            for login, name in people:
                # Some belong to a second team in their school (an interventionist who
                # also sits with a grade team, a department head in leadership).
                extra = [rng.choice(school)[0].id] if rng.random() < 0.12 else []
                extra = [t for t in extra if t != team.id]
                role = "coach" if leads and rng.random() < 0.6 else "teacher"
                community.add_member(tx, login=login, name=name, role=role, teams=[team.id, *extra])
    return teams


def build_demo(runtime: Runtime, *, size: str = "small", seed: int = 2026) -> dict[str, int]:
    """Create the demo community and let every plugin add its records."""
    rng = random.Random(seed)
    admin_login = runtime.login
    taken = {admin_login, COACH[0], TEACHER[0]}
    with runtime.storage.transaction() as tx:
        community.init_community(
            tx,
            name=SMALL_SCHOOL if size == "small" else DISTRICT_NAME,
            admin_login=admin_login,
            admin_name=identity.current_full_name(),
            demo=True,
        )
        people = _school if size == "small" else _district
        teams = people(tx, rng, admin_login, taken)
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
