from tests.tickets.conftest import file_ticket, funded  # noqa: F401 - fixtures shared with the tickets tests
