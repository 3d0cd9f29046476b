"""Headers between the suite's own parts on loopback, never sent to a server."""

#: On an answer the write guard made itself (not the server's): the guard's reason.
GUARD_HEADER = "X-Contract-Guard"
#: On a Schemathesis request to the guard: the phase it belongs to (for the budget's shares).
PHASE_HEADER = "X-Contract-Phase"
#: Schemathesis' own header naming the test case of each request it sends.
CASE_HEADER = "X-Schemathesis-TestCaseId"
#: The file (one case id a line) where the guard lists the cases it answered itself.
ANSWERED_ENV = "SEQUENCE_CONTRACT_GUARD_ANSWERED"
