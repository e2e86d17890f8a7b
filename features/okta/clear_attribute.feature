@okta
Feature: A cleared attribute reaches the app as an empty string

  # okta-wire.md §1.5 (a cleared Okta attribute becomes "", not null; its wire form is
  # undocumented: the simulator's default, an empty string in the PUT built from the server's
  # GET, is [INFERRED]), §3.2 (null vs blank), test plan C9337 (empty values push without
  # errors), §1.4 (GET, then PUT)
  Scenario: clearing a core and an enterprise attribute
    Given an Okta org
    And the user "alice" with:
      | attribute  | value             |
      | login      | alice@example.com |
      | email      | alice@example.com |
      | firstName  | Alice             |
      | lastName   | Smith             |
      | title      | Engineer          |
      | department | Retail            |
    And "alice" is assigned to the app
    When "alice"'s "title" is cleared
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"title": "", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Retail"}}
      """
    When "alice"'s "department" is cleared
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"title": "", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": ""}}
      """
    And Okta has no open tasks
    And the responses match the snapshot
