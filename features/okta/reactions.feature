@okta @embedded
Feature: How Okta reacts to what the app answers

  Background:
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
      | email     | alice@example.com |

  # okta-wire.md §5.1: 429 waits Retry-After seconds, else 5 minutes, each further 429 doubling
  Scenario: two 429s to the create wait 5 and then 10 minutes on the virtual clock
    Given the target answers 429 to the next 2 POST /Users
    When "alice" is assigned to the app
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | POST   | /Users |
      | POST   | /Users |
      | POST   | /Users |
    And Okta logged "Push new user to external application" for "alice" saying "rescheduled in 300 s"
    And Okta logged "Push new user to external application" for "alice" saying "rescheduled in 600 s"
    And the target has the user "alice" active
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.3, §1.11: 409 stops the job; the task waits for "Retry Selected"
  Scenario: a 409 to the create leaves a task, and retrying it creates alice
    Given the target answers 409 to the next POST /Users saying "User already exists in the database."
    When "alice" is assigned to the app
    Then Okta has a "Provision" task for "alice" saying "Conflict. Errors reported by remote server: User already exists in the database."
    And the target has no user "alice"
    When the failed tasks are retried
    Then Okta has no open tasks
    And the target has the user "alice" active
    And the responses match the snapshot

  # okta-wire.md §1.3 (REF20): an empty 2xx body on POST fails with Okta's documented message
  Scenario: an empty answer to the create fails with "Create new user returned empty user"
    Given the target answers 201 with an empty body to the next POST /Users
    When "alice" is assigned to the app
    Then Okta has a "Provision" task for "alice" saying "Error while creating user Alice Smith: Create new user returned empty user."
    And the responses match the snapshot

  # okta-wire.md §1.6, §1.11: 501 to the deactivation PATCH → a Deprovision task, no PUT fallback
  Scenario: a 501 to the deactivation PATCH makes a Deprovision task and no PUT
    Given "alice" is assigned to the app
    And the target answers 501 to the next PATCH /Users/*
    When "alice" is unassigned from the app
    Then the IdP sent:
      | method | path         |
      | PATCH  | /Users/{id}  |
    And Okta has a "Deprovision" task for "alice" saying "Not Implemented"
    And the target has the user "alice" active
    And the responses match the snapshot
