# The test reads the first pages of users and groups, whatever else the app holds, so its
# answers (and snapshots) are the scenario's own only on a target it has to itself.
@okta @embedded
Feature: Okta's Test Connector Configuration reads one short page of users and one of groups

  # okta-wire.md §1.1 ("Test API Credentials": GET /Users?startIndex=1&count=2, then
  # GET /Groups?startIndex=1&count=100; each needs 200 and a ListResponse with integer paging
  # numbers), §1.0 (the headers every request carries)
  Scenario: saving the API integration tests the connector
    Given an Okta org
    When the connection is tested
    Then the IdP sent:
      | method | path                           |
      | GET    | /Users?startIndex=1&count=2    |
      | GET    | /Groups?startIndex=1&count=100 |
    And the connection test succeeds saying "was verified successfully!"
    And Okta logged "Test connector configuration" for "scimsim SCIM 2.0 app"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.1 (the pair is the same constants whatever the app holds; "a groups-only
  # server must implement /Users too")
  Scenario: the test reads two users at most, whatever the app holds
    Given the target already has the user "carol@example.com"
    And the target already has the user "dave@example.com"
    And the target already has the user "erin@example.com"
    And an Okta org
    When the connection is tested
    Then the IdP sent:
      | method | path                           |
      | GET    | /Users?startIndex=1&count=2    |
      | GET    | /Groups?startIndex=1&count=100 |
    And the connection test succeeds
    And the responses match the snapshot
