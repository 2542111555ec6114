"""What the demo contains: two companies, their clients, sites, units, posts, people."""

from dataclasses import dataclass, field
from functools import partial

from backend.demo import geometry as g


@dataclass(frozen=True)
class UnitSpec:
    label: str
    kind: str
    east_m: float
    north_m: float
    building: str = ""
    unit_number: str = ""


@dataclass(frozen=True)
class SiteSpec:
    name: str
    street_address: str
    city: str
    region: str
    postal_code: str
    timezone: str
    lon: float
    lat: float
    outlines: tuple[g.Outline, ...]
    units: tuple[UnitSpec, ...]
    checkpoints: tuple[tuple[str, float, float, str], ...]
    posts: tuple[tuple[str, str, bool], ...]
    restricted_zones: tuple[tuple[str, g.Outline, str], ...] = ()


@dataclass(frozen=True)
class ClientSpec:
    name: str
    billing_email: str
    phone: str
    sites: tuple[SiteSpec, ...]


@dataclass(frozen=True)
class CompanySpec:
    name: str
    slug: str
    timezone: str
    username_prefix: str
    manager_name: tuple[str, str]
    guard_names: tuple[tuple[str, str], ...]
    clients: tuple[ClientSpec, ...]
    client_contact_names: tuple[tuple[str, str], ...] = field(default=())


def apartment_units(building: str, east_m: float, north_m: float, floors: int = 3) -> tuple[UnitSpec, ...]:
    """A building and its units, spread along the building's footprint."""
    units = [UnitSpec(f"Building {building}", "building", east_m, north_m, building=building)]
    for floor in range(1, floors + 1):
        for door in range(1, 5):
            number = f"{floor}{door:02d}"
            units.append(
                UnitSpec(
                    f"Building {building}, Unit {number}",
                    "unit",
                    east_m + (door - 2.5) * 12,
                    north_m + (floor - 2) * 3,
                    building=building,
                    unit_number=number,
                )
            )
    return tuple(units)


# Every site of the Atlanta company is in the city, on its clock.
atlanta_site = partial(SiteSpec, city="Atlanta", region="GA", timezone="America/New_York")


ATLANTA = CompanySpec(
    name="Peachtree Shield Security",
    slug="peachtree-shield",
    timezone="America/New_York",
    username_prefix="",
    manager_name=("Dana", "Whitfield"),
    guard_names=(
        ("Marcus", "Bell"),
        ("Keisha", "Owens"),
        ("Tomás", "Reyes"),
        ("Andre", "Freeman"),
        ("Lena", "Park"),
        ("Devon", "Hughes"),
        ("Priya", "Natarajan"),
        ("Jamal", "Carter"),
        ("Rosa", "Delgado"),
        ("Victor", "Okafor"),
        ("Hannah", "Schultz"),
        ("Curtis", "Greene"),
        ("Mei", "Lin"),
        ("Oscar", "Fuentes"),
        ("Tanya", "Brooks"),
        ("Isaac", "Mensah"),
        ("Grace", "Holloway"),
        ("Eli", "Navarro"),
    ),
    client_contact_names=(("Patricia", "Lowe"), ("Ben", "Adeyemi"), ("Sandra", "Kim")),
    clients=(
        ClientSpec(
            name="Riverbend Residential",
            billing_email="ap@riverbend-residential.example",
            phone="+1 404 555 0142",
            sites=(
                atlanta_site(
                    name="Riverside Commons Apartments",
                    street_address="1200 Riverside Pkwy NW",
                    postal_code="30327",
                    lon=-84.4262,
                    lat=33.8385,
                    outlines=(g.RIVERSIDE_L,),
                    units=(
                        *apartment_units("A", -110, -80),
                        *apartment_units("B", 60, -70),
                        *apartment_units("C", -40, 90),
                        UnitSpec("Main gate", "gate", 140, -100),
                        UnitSpec("Resident lot", "lot", -120, 20),
                        UnitSpec("Pool and clubhouse", "amenity", 0, 0),
                    ),
                    checkpoints=(
                        ("Main gate", 135, -105, "Gate arm works; visitor log signed."),
                        ("Pool gate", 5, 5, "Pool gate latched after 22:00."),
                        ("Building C stairwell", -45, 95, "Stairwell lights on, doors closed."),
                        ("Dumpster enclosure", -150, 60, "No fire, no dumping outside the enclosure."),
                    ),
                    posts=(
                        ("Gatehouse", "Visitor control at the main gate.", True),
                        ("Roving patrol", "Foot patrol of all buildings and lots.", False),
                    ),
                    restricted_zones=(
                        (
                            "Pool pump room",
                            [(10, -10), (25, -10), (25, 2), (10, 2)],
                            "Chemicals: maintenance staff only.",
                        ),
                    ),
                ),
                atlanta_site(
                    name="Magnolia Court",
                    street_address="455 Magnolia St SE",
                    postal_code="30312",
                    lon=-84.3770,
                    lat=33.7424,
                    outlines=(g.MAGNOLIA_NOTCHED,),
                    units=(
                        *apartment_units("North", -40, 45, floors=2),
                        *apartment_units("South", 30, -50, floors=2),
                        UnitSpec("Courtyard", "amenity", 0, -10),
                        UnitSpec("Alley gate", "gate", 100, 0),
                    ),
                    checkpoints=(
                        ("Alley gate", 98, 2, "Gate closed and locked."),
                        ("Mail room", -60, -40, "Mail room door locked after 20:00."),
                        ("Courtyard", 0, -12, "Lights on; no one loitering."),
                    ),
                    posts=(("Night patrol", "Courtyard, alley and mail room patrol.", False),),
                ),
            ),
        ),
        ClientSpec(
            name="Crescent Office Partners",
            billing_email="facilities@crescent-office.example",
            phone="+1 404 555 0178",
            sites=(
                atlanta_site(
                    name="Midtown Tech Center",
                    street_address="1100 Spring St NW",
                    postal_code="30309",
                    lon=-84.3893,
                    lat=33.7845,
                    outlines=(g.TECH_CAMPUS,),
                    units=(
                        UnitSpec("Tower 1 lobby", "building", -80, 20, building="Tower 1"),
                        UnitSpec("Tower 2 lobby", "building", 90, -10, building="Tower 2"),
                        UnitSpec("Loading dock", "gate", 150, -90),
                        UnitSpec("Visitor garage", "lot", -150, -60),
                        UnitSpec("Data hall", "building", 20, 110, building="Data hall"),
                    ),
                    checkpoints=(
                        ("Tower 1 lobby desk", -80, 20, "Badge reader and turnstiles working."),
                        ("Loading dock", 150, -90, "Roll-up doors closed; deliveries logged."),
                        ("Visitor garage level 2", -150, -60, "No vehicles parked in fire lanes."),
                        ("Data hall door", 20, 105, "Door closed; no tailgating."),
                    ),
                    posts=(
                        ("Lobby concierge", "Tower 1 front desk, visitor badges.", True),
                        ("Campus patrol", "Vehicle patrol of the campus.", False),
                    ),
                    restricted_zones=(
                        (
                            "Data hall",
                            [(0, 95), (45, 95), (45, 130), (0, 130)],
                            "Tenant's servers: escorted entry only.",
                        ),
                    ),
                ),
                atlanta_site(
                    name="Ponce Market Garage",
                    street_address="675 Ponce De Leon Ave NE",
                    postal_code="30308",
                    lon=-84.3656,
                    lat=33.7726,
                    outlines=(g.GARAGE_ROTATED,),
                    units=(
                        UnitSpec("Level 1 entrance", "gate", 0, -60),
                        UnitSpec("Level 3", "lot", 0, 0),
                        UnitSpec("Stair tower", "building", 40, 55),
                    ),
                    checkpoints=(
                        ("Entrance booth", 0, -58, "Pay stations working."),
                        ("Roof level", 5, 10, "No loitering; lights on."),
                        ("Stair tower", 40, 55, "Doors closed; no one sleeping in the stairs."),
                    ),
                    posts=(("Garage patrol", "Patrol all levels every hour.", False),),
                ),
            ),
        ),
        ClientSpec(
            name="Harbor Logistics",
            billing_email="ops-billing@harbor-logistics.example",
            phone="+1 470 555 0110",
            sites=(
                atlanta_site(
                    name="Southside Distribution Center",
                    street_address="4800 Fulton Industrial Blvd SW",
                    postal_code="30336",
                    lon=-84.5500,
                    lat=33.7410,
                    outlines=(g.DC_YARD, g.DC_TRAILER_LOT),
                    units=(
                        UnitSpec("Guard shack", "gate", -260, 20),
                        UnitSpec("Dock doors 1-20", "building", 0, -100, building="Warehouse"),
                        UnitSpec("Dock doors 21-40", "building", 0, 100, building="Warehouse"),
                        UnitSpec("Trailer lot", "lot", 360, 0),
                    ),
                    checkpoints=(
                        ("Guard shack", -255, 20, "Driver log complete."),
                        ("Trailer lot fence", 420, 0, "Fence intact; seals on trailers."),
                        ("Fuel island", 200, -120, "Pumps locked."),
                    ),
                    posts=(
                        ("Gate control", "Truck check-in/out at the guard shack.", True),
                        ("Yard patrol", "Yard and trailer lot patrol.", False),
                    ),
                ),
                atlanta_site(
                    name="Harbor Yard B",
                    street_address="2100 Marietta Blvd NW",
                    postal_code="30318",
                    lon=-84.4380,
                    lat=33.8050,
                    outlines=(g.YARD_B,),
                    units=(
                        UnitSpec("Rail gate", "gate", -290, 0),
                        UnitSpec("Container stacks", "lot", 0, 0),
                        UnitSpec("Office trailer", "building", 250, 40),
                    ),
                    checkpoints=(
                        ("Rail gate", -288, 0, "Gate chained when no train is scheduled."),
                        ("Office trailer", 250, 40, "Door locked; alarm armed."),
                    ),
                    posts=(("Yard watch", "Overnight watch of the container yard.", False),),
                ),
            ),
        ),
    ),
)

DENVER = CompanySpec(
    name="Front Range Protective Services",
    slug="front-range-protective",
    timezone="America/Denver",
    username_prefix="other-",
    manager_name=("Colt", "Ramirez"),
    guard_names=(("Alex", "Morgan"), ("Jordan", "Lee")),
    client_contact_names=(("Riley", "Chen"),),
    clients=(
        ClientSpec(
            name="Mile High Medical",
            billing_email="ap@milehighmedical.example",
            phone="+1 303 555 0190",
            sites=(
                SiteSpec(
                    name="Mile High Medical Campus",
                    street_address="1719 E 19th Ave",
                    city="Denver",
                    region="CO",
                    postal_code="80218",
                    timezone="America/Denver",
                    lon=-104.9669,
                    lat=39.7466,
                    outlines=(g.HOSPITAL_CAMPUS,),
                    units=(
                        UnitSpec("Emergency entrance", "gate", 120, -40),
                        UnitSpec("Parking structure", "lot", -110, 30),
                    ),
                    checkpoints=(("ER entrance", 118, -40, "Ambulance bay clear."),),
                    posts=(("ER security desk", "Emergency department entrance.", True),),
                ),
            ),
        ),
    ),
)

COMPANIES = (ATLANTA, DENVER)
