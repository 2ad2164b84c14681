using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Runtime;

/// <summary>
/// How to build a grain class: its type name and a constructor plan. Constructor parameters are
/// resolved from the service provider, except <see cref="IPersistentState{TState}"/> parameters marked
/// with <see cref="PersistentStateAttribute"/>, which are bound to the grain's id and storage.
/// </summary>
internal sealed class GrainTypeInfo
{
    private static readonly ConcurrentDictionary<string, Type> NamesInUse = new();
    private static readonly MethodInfo AddStateMethod = typeof(Activation).GetMethod(nameof(Activation.AddState), BindingFlags.Instance | BindingFlags.NonPublic)!;

    private GrainTypeInfo(string name, Func<IServiceProvider, Grain> construct)
    {
        Name = name;
        Construct = construct;
    }

    public string Name { get; }

    public Func<IServiceProvider, Grain> Construct { get; }

    public static GrainTypeInfo For<TGrain>() where TGrain : Grain => Cache<TGrain>.Info;

    private static GrainTypeInfo Create(Type type)
    {
        if (type.IsAbstract)
        {
            throw new ArgumentException($"{type.Name} is abstract and cannot be a grain.");
        }

        var name = type.Name;
        var owner = NamesInUse.GetOrAdd(name, type);
        if (owner != type)
        {
            throw new InvalidOperationException($"Grain type name '{name}' is used by both {owner.FullName} and {type.FullName}.");
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{type.Name} has no public constructor.");
        var parameters = constructor.GetParameters();
        return new GrainTypeInfo(name, services =>
        {
            var activation = Activation.Constructing!;
            var args = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                args[i] = Resolve(parameters[i], activation, services);
            }

            try
            {
                return (Grain)constructor.Invoke(args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        });
    }

    private static object? Resolve(ParameterInfo parameter, Activation activation, IServiceProvider services)
    {
        var type = parameter.ParameterType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IPersistentState<>))
        {
            var attribute = parameter.GetCustomAttribute<PersistentStateAttribute>()
                ?? throw new InvalidOperationException($"Parameter '{parameter.Name}' of {parameter.Member.DeclaringType?.Name} needs [PersistentState(\"name\")].");
            var storage = services.GetKeyedService<IGrainStorage>(attribute.StorageName)
                ?? throw new InvalidOperationException($"No grain storage named '{attribute.StorageName}' is registered.");
            return AddStateMethod.MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(activation, [attribute.StateName, storage]);
        }

        return services.GetService(type)
            ?? (parameter.HasDefaultValue ? parameter.DefaultValue : throw new InvalidOperationException(
                $"No service of type {type.Name} is registered for parameter '{parameter.Name}' of {parameter.Member.DeclaringType?.Name}."));
    }

    private static class Cache<TGrain> where TGrain : Grain
    {
        public static readonly GrainTypeInfo Info = Create(typeof(TGrain));
    }
}
