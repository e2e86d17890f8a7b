@okta
Feature: Saving a mapping with "Apply updates now" pushes every assigned user's profile at once

  Background:
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

  # okta-wire.md §3.4 ("Apply updates now" re-applies the mappings to every assigned user and
  # pushes each profile, changed or not: bob's upper-cased title is the one he had), §1.4
  Scenario: "Apply updates now" pushes everyone, changed or not
    When the expression mapping "String.toUpperCase(user.title)" -> "title" saved with "Apply updates now"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the target has the user "alice" with "title" equal to "ENGINEER"
    And the target has the user "bob" with "title" equal to "QA"
    And Okta logged "Push user's profile to external application" for "bob"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §3.4 ("Do not apply updates" defers the change until each user next changes)
  Scenario: "Do not apply updates" sends nothing until the user's next change
    When the expression mapping "String.toUpperCase(user.title)" -> "title"
    Then the IdP sent nothing
    And the target has the user "alice" with "title" equal to "Engineer"
    When "alice"'s "firstName" is changed to "Alicia"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"name": {"givenName": "Alicia"}, "title": "ENGINEER"}
      """
    And the target has the user "alice" with "title" equal to "ENGINEER"
    And the target has the user "bob" with "title" equal to "QA"
    And Okta has no open tasks
    And the responses match the snapshot
