@okta
Feature: A mapping applied on create only freezes its value; one applied on create and update follows the source

  # okta-wire.md §3.3 ("Apply mapping on user create only" writes the value at creation only;
  # Okta pushes the full app-user profile on every update, so the frozen value stays in each
  # PUT), §1.4 (GET, then PUT of the merged resource)
  Scenario: nickName is set on create only, title on create and update
    Given an Okta org
    And the mapping "firstName" -> "nickName" applied on create only
    And the mapping "title" -> "title"
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
      | title     | Engineer          |
    When "alice" is assigned to the app
    Then the last request body includes:
      """
      {"name": {"givenName": "Alice"}, "nickName": "Alice", "title": "Engineer"}
      """
    When "alice"'s "firstName" is changed to "Alicia"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"name": {"givenName": "Alicia"}, "nickName": "Alice"}
      """
    And the target has the user "alice" with "name.givenName" equal to "Alicia"
    And the target has the user "alice" with "nickName" equal to "Alice"
    When "alice"'s "title" is changed to "Manager"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"nickName": "Alice", "title": "Manager"}
      """
    And the target has the user "alice" with "title" equal to "Manager"
    And the target has the user "alice" with "nickName" equal to "Alice"
    And Okta has no open tasks
    And the responses match the snapshot
