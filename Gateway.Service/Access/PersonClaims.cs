using System.Security.Claims;

namespace Gateway.Service.Access;

/// <summary>A <see cref="Person"/> as the claims of a signed-in principal, and back.</summary>
public static class PersonClaims
{
    /// <summary>A unit the person belongs to (one claim per unit).</summary>
    public const string Unit = "gateway:unit";

    /// <summary>The person's default unit.</summary>
    public const string DefaultUnit = "gateway:default-unit";

    /// <summary>How the person signed in: <c>certificate</c>, <c>oidc</c> or <c>development</c>.</summary>
    public const string Method = "gateway:sign-in";

    public static ClaimsPrincipal ToPrincipal(Person person, string method, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(person);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, person.Id),
            new(ClaimTypes.Name, person.DisplayName),
            new(Method, method),
        };
        claims.AddRange(person.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        claims.AddRange(person.Units.Select(unit => new Claim(Unit, unit)));
        if (person.DefaultUnit is { } home)
        {
            claims.Add(new Claim(DefaultUnit, home));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The signed-in person; null for a caller that is not signed in.</summary>
    public static Person? Person(this ClaimsPrincipal user)
    {
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } id)
        {
            return null;
        }

        return new Person(
            id,
            user.FindFirstValue(ClaimTypes.Name) ?? id,
            [.. user.FindAll(ClaimTypes.Role).Select(claim => claim.Value).Distinct(StringComparer.Ordinal)],
            [.. user.FindAll(Unit).Select(claim => claim.Value).Distinct(StringComparer.Ordinal)],
            user.FindFirstValue(DefaultUnit));
    }

    /// <summary>The signed-in person, for endpoints behind a role policy (which guarantees one).</summary>
    public static Person RequiredPerson(this ClaimsPrincipal user) =>
        user.Person() ?? throw new InvalidOperationException("the endpoint requires a signed-in person");

    /// <summary>The actor the audit log records: the person's stable id.</summary>
    public static string Actor(this ClaimsPrincipal user) => user?.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
}
