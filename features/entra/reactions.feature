@entra @embedded
Feature: How Entra ID reacts to what the app answers

  Background:
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | displayName       | Alice Smith       |
      | accountEnabled    | true              |
    And "alice" is assigned to the app

  # entra-wire.md §1.2 (409 → escrow), §4.2 (escrowed operations retry in a later cycle)
  Scenario: a 409 to the create puts alice in escrow until a later cycle
    Given the target answers 409 to the next POST /Users saying "userName is already taken"
    When the provisioning cycle runs
    Then the provisioning log has "Create" "Failure" for "alice" with error "EntryConflict"
    And the target has no user "alice"
    When 2 provisioning cycles run
    Then the target has the user "alice" active
    And the provisioning log has "Create" "Success" for "alice"
    And the responses match the snapshot

  # entra-wire.md §4.2: 429 → Retry-After on the virtual clock, in the same cycle
  Scenario: a 429 to the create is retried after Retry-After in the same cycle
    Given the target answers 429 to the next POST /Users with Retry-After "30"
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | GET    | /Users |
      | POST   | /Users |
      | POST   | /Users |
    And the target has the user "alice" active
    And the responses match the snapshot

  # entra-wire.md §1.2 table, §4.2: 5xx → the object fails and is retried in a later cycle
  Scenario: a 500 to the create is retried in a later cycle
    Given the target answers 500 to the next POST /Users
    When the provisioning cycle runs
    Then the provisioning log has "Create" "Failure" for "alice" with error "InternalServerError"
    When 2 provisioning cycles run
    Then the target has the user "alice" active
    And the responses match the snapshot

  # entra-wire.md §1.2 table: 404 on a linked id → InvalidAnchor
  Scenario: a 404 for alice's linked id is an InvalidAnchor failure
    Given the provisioning cycle runs
    And the target answers 404 to the next GET /Users/* saying "Resource not found"
    When "alice"'s "displayName" is changed to "Alice Jones"
    And the provisioning cycle runs
    Then the provisioning log has "Update" "Failure" for "alice" with error "InvalidAnchor"
    And the responses match the snapshot

  # entra-wire.md §1.1 (Test Connection at the start), §4.3 (quarantine on 401)
  Scenario: a 401 to the test connection sends the job to quarantine
    Given the target answers 401 to every GET /Users saying "invalid token"
    When the provisioning cycle runs
    Then the job is in quarantine
    And the IdP sent:
      | method | path   |
      | GET    | /Users |
    And the responses match the snapshot
