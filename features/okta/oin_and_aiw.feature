@okta
Feature: OIN and AIW apps tell the same story with different methods

  # okta-wire.md §1.0 "Which method carries updates" (OIN catalog apps: profile updates by GET
  # then PUT; activation, deactivation, password and groups by PATCH. AIW apps: PUT for
  # everything), §1.4 (profile push), §1.6 (deactivate), §1.8 (reactivate), §1.9 (password),
  # §1.10 (Group Push: PATCH for OIN, PUT of the group with its full member list for AIW)
  Scenario Outline: an <kind> app: profile, deactivation, reactivation, password and group updates
    Given an Okta org with an <kind> app
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
    And "alice" is assigned to the app
    And "bob" is assigned to the app
    And the group "Engineering" with members "bob"
    And the group "Engineering" is pushed
    When "alice"'s "title" is changed to "Manager"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the target has the user "alice" with "title" equal to "Manager"
    When "alice" is unassigned from the app
    Then the last request was <status update> /Users/{id}
    And the target has the user "alice" inactive
    When "alice" is assigned to the app
    Then the target has the user "alice" active
    When "alice"'s password is changed to "S3cond-Passw0rd!"
    Then the last request was <status update> /Users/{id}
    When "alice" is added to the group "Engineering"
    Then the last request was <group update> /Groups/{id}
    And the target has the group "Engineering" with members "alice", "bob"
    And Okta has no open tasks
    And the responses match the snapshot

    Examples:
      | kind | status update | group update |
      | OIN  | PATCH         | PATCH        |
      | AIW  | PUT           | PUT          |
