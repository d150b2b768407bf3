using System.Reflection;
using System.Reflection.Emit;

namespace Coordination.Architecture.Tests;

/// <summary>
/// Just enough of an IL reader to see which types a method constructs (<c>newobj</c>) or tests for
/// (<c>isinst</c>, <c>castclass</c>, <c>unbox.any</c>: what a <c>switch</c> on types compiles to).
/// </summary>
public static class Il
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<Type> ConstructedTypes(MethodBase method) =>
        Operands(method, OpCodes.Newobj).OfType<ConstructorInfo>().Select(c => c.DeclaringType!);

    public static IEnumerable<Type> TestedTypes(MethodBase method) =>
        Operands(method, OpCodes.Isinst, OpCodes.Castclass, OpCodes.Unbox_Any).OfType<Type>();

    /// <summary>
    /// The types constructed right before a call to one of <paramref name="calls"/>, i.e. passed to it (alone or as an
    /// element of its <c>params</c> array): <c>session.Events.Append(id, new ReferralDataRead(…))</c>.
    /// </summary>
    public static IEnumerable<Type> TypesPassedTo(MethodBase method, Func<MethodBase, bool> calls)
    {
        Type? constructed = null;
        foreach (var (opCode, operand) in Instructions(method))
        {
            if (opCode == OpCodes.Newobj && operand is ConstructorInfo constructor)
                constructed = constructor.DeclaringType;
            else if ((opCode == OpCodes.Call || opCode == OpCodes.Callvirt) && operand is MethodBase called && calls(called)
                     && constructed is not null)
                yield return constructed;
            else if (opCode != OpCodes.Stelem_Ref && opCode != OpCodes.Dup && opCode.OperandType != OperandType.InlineNone)
                constructed = null; // something else happened in between: that object went elsewhere
        }
    }

    /// <summary>Every method declared by a type and by the types the compiler nests in it (lambdas, local functions).</summary>
    public static IEnumerable<MethodBase> MethodsOf(Type type)
    {
        const BindingFlags all =
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(all).Cast<MethodBase>()
            .Concat(type.GetConstructors(all))
            .Concat(type.GetNestedTypes(BindingFlags.NonPublic).SelectMany(MethodsOf));
    }

    private static IEnumerable<MemberInfo> Operands(MethodBase method, params OpCode[] wanted) =>
        Instructions(method).Where(i => wanted.Contains(i.OpCode) && i.Operand is not null).Select(i => i.Operand!);

    /// <summary>The method's instructions, with the member each token names (null when it names none of ours).</summary>
    private static IEnumerable<(OpCode OpCode, MemberInfo? Operand)> Instructions(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
                value = (short)(0xFE00 | il[position++]);
            var opCode = OpCodesByValue[value];
            MemberInfo? operand = null;
            if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineType
                or OperandType.InlineField or OperandType.InlineTok)
            {
                try
                {
                    operand = method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // a generic context we cannot rebuild: not one of ours
                }
            }
            yield return (opCode, operand);
            position += OperandSize(opCode.OperandType, il, position);
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
        _ => 4,
    };
}
