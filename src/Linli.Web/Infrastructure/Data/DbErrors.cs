namespace Linli.Web.Infrastructure.Data;

/// <summary>What kind of refusal a database error is, on either provider: the one place that reads their error codes.</summary>
public enum DbRefusal
{
    /// <summary>Not a refusal of the data: a lost connection, a timeout, a bug.</summary>
    None = 0,
    /// <summary>A unique index or primary key: someone saved the same thing first.</summary>
    Unique = 1,
    /// <summary>Another constraint: a foreign key, a check, a not-null.</summary>
    Constraint = 2,
}

public static class DbErrors
{
    /// <summary>The refusal in an exception or any of its inner exceptions.</summary>
    public static DbRefusal Classify(Exception? e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case Npgsql.PostgresException p when p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation:
                    return DbRefusal.Unique;
                case Npgsql.PostgresException p when p.SqlState.StartsWith("23", StringComparison.Ordinal): // integrity_constraint_violation
                    return DbRefusal.Constraint;
                case Microsoft.Data.Sqlite.SqliteException s when s.SqliteExtendedErrorCode is 2067 or 1555: // SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY
                    return DbRefusal.Unique;
                case Microsoft.Data.Sqlite.SqliteException s when s.SqliteErrorCode == 19: // SQLITE_CONSTRAINT
                    return DbRefusal.Constraint;
            }
        }
        return DbRefusal.None;
    }
}
