import type { Dict } from '../../i18n';

export const dict: Dict = {
  zh: {
    title: '学生名册',
    searchPlaceholder: '姓名或学号',
    campus: '校区',
    grade: '年级',
    class: '班级',
    allCampuses: '全部校区',
    allGrades: '全部年级',
    allClasses: '全部班级',
    showInactive: '含已停用',
    addStudent: '新增学生',
    columns: '列设置',
    studentNo: '学号',
    name: '姓名',
    gender: '性别',
    status: '状态',
    active: '在读',
    inactive: '已停用',
    emptyNone: '还没有学生，可以下载模板导入名册',
    emptyFiltered: '没有符合条件的学生',
    goImport: '去导入名册',
    clearFilters: '清除筛选',
    exporting: '正在生成 Excel…',
    // the pupil's file
    file: '学生档案',
    fileAudited: '查看学生档案会记入审计日志',
    viewAudit: '查看此学生的审计记录',
    address: '家庭住址',
    addressHidden: '无权查看',
    notFilled: '未填写',
    editStudent: '编辑学生信息',
    deactivate: '停用',
    deactivateConfirm: '停用后该学生不再出现在名册和点名中，可随时恢复。确定停用吗？',
    reactivate: '恢复在读',
    deactivated: '已停用该学生',
    reactivated: '已恢复在读',
    guardians: '家长与监护人',
    guardiansHidden: '当前身份无权查看家长联系方式',
    noGuardians: '还没有登记家长，请添加至少一位家长的手机号',
    addGuardian: '添加家长',
    relation: '关系',
    phone: '手机号',
    primary: '主要联系人',
    hasAccount: '已开通账号',
    unlink: '解除关联',
    unlinkConfirm: '解除后该家长不再能查看此学生。确定吗？',
    unlinked: '已解除关联',
    guardianHint: '同一手机号的家长会自动关联到已有的家长记录',
    pickups: '授权接送人',
    noPickups: '还没有授权接送人；放学时只能交给登记过的成人',
    addPickup: '添加接送人',
    editPickup: '编辑接送人',
    deletePickupConfirm: '删除后此人不能再接走该学生。确定删除吗？',
    deleted: '已删除',
    photo: '照片',
    choosePhoto: '选择照片',
    removePhoto: '移除照片',
    photoHint: '自动缩小到 320 像素以内',
    photoFailed: '无法读取这张图片，请换一张 JPG 或 PNG 照片',
    validFrom: '有效期自',
    validTo: '有效期至',
    validity: '有效期',
    always: '长期有效',
    validityHint: '两个日期都留空表示长期有效；临时接送可只填这几天',
    from: '{d} 起',
    until: '至 {d}',
    expired: '已过期',
    notYet: '未生效',
    required: '请填写{f}',
    chooseRequired: '请选择{f}',
    nameInvalid: '姓名不能超过 40 个字',
    relationInvalid: '关系不能超过 20 个字',
    added: '已添加',
    created: '已新增学生 {name}',
    open: '查看档案',
  },
  en: {
    title: 'Pupils',
    searchPlaceholder: 'Name or pupil number',
    campus: 'Campus',
    grade: 'Grade',
    class: 'Class',
    allCampuses: 'All campuses',
    allGrades: 'All grades',
    allClasses: 'All classes',
    showInactive: 'Include inactive',
    addStudent: 'Add pupil',
    columns: 'Columns',
    studentNo: 'Pupil no.',
    name: 'Name',
    gender: 'Gender',
    status: 'Status',
    active: 'Enrolled',
    inactive: 'Inactive',
    emptyNone: 'No pupils yet: download the template and import your roster',
    emptyFiltered: 'No pupils match these filters',
    goImport: 'Import roster',
    clearFilters: 'Clear filters',
    exporting: 'Preparing the Excel file…',
    file: "Pupil's file",
    fileAudited: "Opening a pupil's file is recorded in the audit log",
    viewAudit: 'Audit entries for this pupil',
    address: 'Home address',
    addressHidden: 'Not visible to you',
    notFilled: 'Not filled in',
    editStudent: 'Edit pupil',
    deactivate: 'Deactivate',
    deactivateConfirm: 'The pupil will no longer appear in the roster and roll calls (you can restore them). Deactivate?',
    reactivate: 'Restore',
    deactivated: 'Pupil deactivated',
    reactivated: 'Pupil restored',
    guardians: 'Guardians',
    guardiansHidden: 'Your role may not see guardian contacts',
    noGuardians: "No guardians yet: add at least one guardian's phone",
    addGuardian: 'Add guardian',
    relation: 'Relation',
    phone: 'Phone',
    primary: 'Primary contact',
    hasAccount: 'Has an account',
    unlink: 'Unlink',
    unlinkConfirm: 'The guardian will no longer see this pupil. Unlink?',
    unlinked: 'Unlinked',
    guardianHint: 'A guardian with the same phone number is linked to the existing record',
    pickups: 'Authorised pick-up adults',
    noPickups: 'No pick-up adults yet: a pupil is only released to a registered adult',
    addPickup: 'Add pick-up adult',
    editPickup: 'Edit pick-up adult',
    deletePickupConfirm: 'This adult will no longer be able to collect the pupil. Delete?',
    deleted: 'Deleted',
    photo: 'Photo',
    choosePhoto: 'Choose photo',
    removePhoto: 'Remove photo',
    photoHint: 'Scaled down to 320 px',
    photoFailed: 'This image cannot be read: try a JPG or PNG photo',
    validFrom: 'Valid from',
    validTo: 'Valid until',
    validity: 'Validity',
    always: 'No end date',
    validityHint: 'Leave both dates empty for no limit; for a substitute, enter just those days',
    from: 'from {d}',
    until: 'until {d}',
    expired: 'Expired',
    notYet: 'Not yet valid',
    required: 'Enter the {f}',
    chooseRequired: 'Choose the {f}',
    nameInvalid: 'At most 40 characters',
    relationInvalid: 'At most 20 characters',
    added: 'Added',
    created: 'Added {name}',
    open: 'Open file',
  },
};

export interface StudentRow {
  id: string;
  studentNo: string;
  name: string;
  gender: string;
  grade: number;
  classId: string;
  className: string | null;
  campusId: string;
  campusName: string | null;
  active: boolean;
}

export interface GuardianLink {
  id: string;
  name: string;
  phone: string;
  relation: string;
  isPrimary: boolean;
  hasAccount: boolean;
}

export interface Pickup {
  id: string;
  studentId: string;
  name: string;
  relation: string;
  phone: string;
  photo: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface StudentFile extends StudentRow {
  address: string | null;
  guardians: GuardianLink[];
  pickups: Pickup[];
}
