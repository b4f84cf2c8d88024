"""Employee records as the demo's services cache them: name, position, department, branch."""
import random

FIRST = ["Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Анна", "Сергей", "Елена", "Noah", "Emma",
         "Liam", "Olivia", "Mateo", "Sofia", "Yuki", "Aiko", "Lars", "Ingrid", "Omar", "Leila"]
LAST = ["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Novak", "Müller", "García",
        "Rossi", "Tanaka", "Andersen", "Haddad", "O'Brien", "Kowalski", "Dubois"]
POSITIONS = ["Cashier", "Shift supervisor", "Store manager", "Warehouse clerk", "Courier", "Accountant",
             "HR partner", "Data analyst", "Backend engineer", "Support agent"]
DEPARTMENTS = ["Retail", "Logistics", "Finance", "People", "Engineering", "Customer care"]
BRANCHES = ["Moscow-Central", "Saint Petersburg", "Kazan", "Berlin", "Lisbon", "Tokyo", "Remote"]


def employee(emp_id, rng):
    return {
        "id": emp_id,
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "position": rng.choice(POSITIONS),
        "department": rng.choice(DEPARTMENTS),
        "branch": rng.choice(BRANCHES),
    }


def roster(count=200, seed=7):
    rng = random.Random(seed)
    return [employee(i, rng) for i in range(1, count + 1)]


def changes(rng, existing_ids, count=5):
    """A few changed or new records, as the HR system's change feed returns them."""
    out = []
    for _ in range(count):
        emp_id = rng.choice(existing_ids) if rng.random() < 0.8 else max(existing_ids) + rng.randint(1, 5)
        out.append(employee(emp_id, rng))
    return out
