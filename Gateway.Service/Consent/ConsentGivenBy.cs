namespace Gateway.Service.Consent;

public enum ConsentGivenBy
{
    Subject,
    Guardian,
    Representative,
}
