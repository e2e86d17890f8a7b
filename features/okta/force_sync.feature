@okta
Feature: Force Sync pushes only the users whose app-user profile changed

  # okta-wire.md §3.4 (Force Sync reconciles the mappings into the app-user profiles; only
  # users whose profile changed since the last successful push get one: "it is not push
  # everyone"), §1.4 (GET, then PUT)
  Scenario: after a mapping saved without applying, Force Sync pushes the changed profile only
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
      | title     | Engineer          |
    And the user "bob" with:
      | attribute | value           |
      | login     | bob@example.com |
      | email     | bob@example.com |
      | firstName | Bob             |
      | lastName  | Jones           |
      | title     | QA              |
    And "alice" is assigned to the app
    And "bob" is assigned to the app
    When the expression mapping "String.toUpperCase(user.title)" -> "title"
    Then the IdP sent nothing
    When Force Sync runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"userName": "alice@example.com", "title": "ENGINEER"}
      """
    And the target has the user "alice" with "title" equal to "ENGINEER"
    And the target has the user "bob" with "title" equal to "QA"
    When Force Sync runs
    Then the IdP sent nothing
    And Okta has no open tasks
    And the responses match the snapshot
