"""Every table's connection reads botocore's data through one loader: the endpoint and DynamoDB model files are
parsed once per process, not once per table (a cold start's largest database cost)."""

from unittest import mock

import botocore.loaders

from portal.adapters.dynamo.models import TABLES
from portal.adapters.dynamo.tables import configure_tables
from tests.builders import make_settings


def test_the_connections_of_all_tables_share_one_botocore_loader(fake_aws):
    configure_tables(make_settings())
    loaders = {id(model._get_connection().connection.session.get_component("data_loader")) for model in TABLES}
    assert len(TABLES) > 1 and len(loaders) == 1


def test_the_dynamodb_model_is_parsed_once_for_every_table_client(fake_aws, monkeypatch):
    from portal.adapters.dynamo import sessions

    monkeypatch.setattr(sessions, "_loader", None)  # as in a new process
    configure_tables(make_settings())
    with mock.patch.object(botocore.loaders.JSONFileLoader, "load_file",
                           autospec=True, side_effect=botocore.loaders.JSONFileLoader.load_file) as load_file:
        for model in TABLES:
            assert model._get_connection().connection.client is not None
    parsed = [call.args[1] for call in load_file.call_args_list if "dynamodb" in str(call.args[1])]
    assert any(path.endswith("service-2") for path in parsed)
    assert len(parsed) == len(set(parsed)), parsed  # each file once, for eight clients


def test_no_call_asks_dynamodb_for_the_capacity_it_consumed(moto_storage, monkeypatch):
    """PynamoDB asks every call for ReturnConsumedCapacity TOTAL; the portal never reads it, so none is asked."""
    import botocore.client

    sent, original = [], botocore.client.BaseClient._convert_to_request_dict

    def capturing(client, api_params, *args, **kwargs):
        sent.append(dict(api_params))
        return original(client, api_params, *args, **kwargs)

    monkeypatch.setattr(botocore.client.BaseClient, "_convert_to_request_dict", capturing)
    moto_storage.tickets.next_number(2099)
    moto_storage.accounts.company_file("nobody")
    assert len(sent) == 2 and not [params for params in sent if "ReturnConsumedCapacity" in params]


def test_every_call_names_the_portal_in_its_user_agent_and_keeps_pynamodbs_time_outs(moto_storage, monkeypatch):
    """botocore built its User-Agent string twice per call from some thirty parts; the portal's is fixed."""
    import botocore.awsrequest

    from portal.adapters.dynamo.models import CounterModel
    from portal.adapters.dynamo.sessions import USER_AGENT

    sent, original = [], botocore.awsrequest.AWSPreparedRequest.__init__

    def capturing(request, method, url, headers, *args, **kwargs):
        agent = headers.get("User-Agent")
        sent.append(agent.decode() if isinstance(agent, bytes) else agent)
        original(request, method, url, headers, *args, **kwargs)

    monkeypatch.setattr(botocore.awsrequest.AWSPreparedRequest, "__init__", capturing)
    moto_storage.tickets.next_number(2099)
    moto_storage.accounts.company_file("nobody")
    assert sent and set(sent) == {USER_AGENT} and USER_AGENT.startswith("support-portal botocore/")
    config = CounterModel._get_connection().connection.client.meta.config
    assert config.user_agent == USER_AGENT
    assert config.read_timeout == CounterModel.Meta.read_timeout_seconds
